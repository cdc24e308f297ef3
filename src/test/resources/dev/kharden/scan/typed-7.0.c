/* kharden-scan: --kernel-version 7.0 --macros-as-constants */
/* Fixture: from 7.0 the typed kmalloc_obj family is suggested where it applies. */

static int init(int n, size_t len)
{
	p = kmalloc(n * sizeof(*p), GFP_KERNEL); /* EXPECT: kmalloc_objs */
	q = kzalloc(sizeof(struct foo) * n, GFP_KERNEL); /* EXPECT: kzalloc_objs */
	r = kmalloc(n * len, GFP_KERNEL); /* EXPECT: kmalloc_array */
	h = kzalloc(sizeof(*h) + n * sizeof(h->items[0]), GFP_KERNEL); /* EXPECT: kzalloc_flex */
	v = vmalloc(n * len); /* EXPECT: array_size */
	return 0;
}
