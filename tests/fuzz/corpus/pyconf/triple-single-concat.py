x = '''it's
"quoted" \""" '''
y = 'a' "b" u'c'
