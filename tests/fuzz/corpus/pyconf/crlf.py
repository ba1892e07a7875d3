a = 1
b = 'two'
c = """x
y"""
