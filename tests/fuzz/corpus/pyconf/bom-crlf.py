# -*- python -*-
real_name = u'caf\xe9'
