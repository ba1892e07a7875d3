# www/local.mk
