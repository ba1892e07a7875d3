x = 1 + 2
y = foo
x.y = 1
