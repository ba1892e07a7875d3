# templates/local.mk
