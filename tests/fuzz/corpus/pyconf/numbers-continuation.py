x = [1, 2,
     3]  # trailing
y = \
  -5
z = 10L
h = 0x1F
f = 1e3
