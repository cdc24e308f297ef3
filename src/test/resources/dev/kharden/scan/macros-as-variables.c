/* kharden-scan: --kernel-version 6.1 */
/* Fixture: by default, ALL_CAPS names are run-time values (the 2018 sweep's view). */

#define __pgd_alloc() kmalloc(PTRS_PER_PGD * sizeof(pgd_t), GFP_KERNEL) /* EXPECT: kmalloc_array */

static int init(void)
{
	p = kmalloc(MAX_FOO * sizeof(*p), GFP_KERNEL); /* EXPECT: kmalloc_array */
	p = vmalloc(PAGE_SIZE * NR_PAGES); /* EXPECT: array_size */
	clk = kzalloc(sizeof(*clk) + sizeof(*clk->hws) * MAX_CLKS, GFP_KERNEL); /* EXPECT: struct_size */
	/* Still fine: literals and sizeof only; ARRAY_SIZE() is a compile-time constant. */
	p = kmalloc(4 * 1024, GFP_KERNEL);
	p = kzalloc(ARRAY_SIZE(tbl) * sizeof(*p), GFP_KERNEL);
	return 0;
}
