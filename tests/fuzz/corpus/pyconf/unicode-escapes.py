x = u'\ud83d\ude00 \u20ac \U0001F600'
y = 'tab\there\\'
