import os
def f(): pass
x = lambda: 0
