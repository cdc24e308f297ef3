/* kharden-scan: --kernel-version 6.1 --macros-as-constants */
/* Fixture: macro bodies are scanned; their parameters are run-time values. */

#define ALLOC_TBL(n) kmalloc((n) * sizeof(struct ent), GFP_KERNEL) /* EXPECT: kmalloc_array */
#define ALLOC_ROWS(rows, cols) \
	vzalloc((rows) * /* EXPECT: array_size */ \
		(cols))
#define __pgd_alloc() kmalloc(PTRS_PER_PGD * sizeof(pgd_t), GFP_KERNEL)
#define ALLOC_ONE(T) kmalloc(sizeof(T), GFP_KERNEL)
#define ALLOC_FIXED kmalloc(NR_ENTS * sizeof(struct ent), GFP_KERNEL)

static void *rvmalloc(unsigned long size);

static int grab(int gbuffers, int gbufsize)
{
	buf = rvmalloc(gbuffers * gbufsize); /* EXPECT: array_size */
	p = foo_kzalloc(dev, n * sizeof(*p), GFP_KERNEL); /* EXPECT: array_size */
	return 0;
}
