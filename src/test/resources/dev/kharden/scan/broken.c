/* kharden-scan: --kernel-version 6.1 --macros-as-constants */
/* Fixture: code that does not preprocess or parse cleanly is still scanned. */

#ifdef CONFIG_FOO
static int foo(int n) {
#else
static int foo(int n, int m) {
#endif
	list_for_each_entry(pos, &head, list) {
		pos->buf = kmalloc(n * pos->len, GFP_KERNEL); /* EXPECT: kmalloc_array */
	}
	x = ({ int __t = n; kzalloc(__t * sizeof(*x), GFP_KERNEL); }); /* EXPECT: kcalloc */
	DECLARE_BITMAP(map, 64) = { 0 } @@@ garbage $$$;
	y = vmalloc(n * /* EXPECT: array_size */
		    m);
	return 0;
