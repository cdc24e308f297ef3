/* kharden-scan: --kernel-version 4.17 --macros-as-constants */
/* Fixture: before 5.18 sums have no size_add(); before 4.18 there is no overflow.h (still named). */

static int init(int n, int m, size_t len)
{
	p = kvzalloc(n * sizeof(*p), GFP_KERNEL); /* EXPECT: array_size */
	h = kzalloc(sizeof(*h) + n * sizeof(h->items[0]), GFP_KERNEL); /* EXPECT: struct_size */
	b = vmalloc(sizeof(*b) + n * sizeof(u32) + m * sizeof(u64)); /* EXPECT: check_add_overflow */
	k = krealloc(k, n * len, GFP_KERNEL); /* EXPECT: array_size */
	u = memdup_user(arg, n * sizeof(*u)); /* EXPECT: check_mul_overflow */
	return 0;
}
