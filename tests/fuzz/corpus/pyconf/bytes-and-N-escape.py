x = b'\xff'
y = 'a\N{DASH}'
