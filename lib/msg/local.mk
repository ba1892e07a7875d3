# lib/msg: raw RFC 5322 message model (filled in by the msg module)
noinst_LIBRARIES += lib/msg/libmsg.a
lib_msg_libmsg_a_SOURCES = lib/msg/msg.c lib/msg/msg.h
