# doc/: man pages are listed beside the programs they describe (src/local.mk, src/store.mk).
