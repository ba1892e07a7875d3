real_name = u'caf\xe9'
description = 'café'
pattern = r'\d+'
