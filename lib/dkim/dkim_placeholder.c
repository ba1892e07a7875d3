typedef int dkim_placeholder_unused;
