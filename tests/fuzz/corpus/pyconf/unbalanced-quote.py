a = 1
x = 'abc
