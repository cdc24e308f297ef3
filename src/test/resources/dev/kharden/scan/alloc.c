/* kharden-scan: --kernel-version 6.1 --macros-as-constants */
/* Fixture: products in allocator sizes. Ünïcödé here must not shift a column (bytes vs chars). */
#include <linux/slab.h>

static int probe(struct device *dev, struct sock *sk, int n, size_t len, int node)
{
	struct foo *p = kmalloc(n * sizeof(*p), GFP_KERNEL); /* EXPECT: kmalloc_array */
	struct foo *q = kzalloc(sizeof(struct foo) * n, GFP_KERNEL); /* EXPECT: kcalloc */
	void *a = kvmalloc(len * n, GFP_KERNEL); /* EXPECT: kvmalloc_array */
	void *b = kvzalloc(n * sizeof(u64), GFP_KERNEL); /* EXPECT: kvcalloc */
	void *c = kmalloc_node(n * sizeof(*c), GFP_KERNEL, node); /* EXPECT: kmalloc_array_node */
	void *d = kzalloc_node(n * sizeof(*d), GFP_KERNEL, node); /* EXPECT: kcalloc_node */
	void *e = devm_kmalloc(dev, n * sizeof(*e), GFP_KERNEL); /* EXPECT: devm_kmalloc_array */
	void *f = devm_kzalloc(dev, /* EXPECT: devm_kcalloc */
			       n *
			       sizeof(*f),
			       GFP_KERNEL);
	void *g = sock_kmalloc(sk, n * len, GFP_KERNEL); /* EXPECT: array_size */
	void *h = vmalloc(sizeof(*h) * n); /* EXPECT: array_size */
	void *i = vzalloc(n * len * sizeof(int)); /* EXPECT: array3_size */
	void *j = vmalloc_user(PAGE_SIZE * n); /* EXPECT: array_size */
	void *k = vmalloc_32(len * n); /* EXPECT: array_size */
	void *l = kvzalloc_node(n * sizeof(*l), GFP_KERNEL, node); /* EXPECT: array_size */

	if (!(p = vzalloc(sizeof(*p) * n))) /* EXPECT: array_size */
		return -ENOMEM;
	if (!kmalloc((size_t)n * len, GFP_KERNEL)) /* EXPECT: kmalloc_array */
		return -ENOMEM;
	p = kmalloc(n * sizeof(u8), GFP_KERNEL); /* EXPECT: no helper: drop the sizeof of a byte */

	/* Fine: literals and sizeof only (deprecated.rst exempts them). */
	p = kmalloc(4 * 1024, GFP_KERNEL);
	p = kmalloc(sizeof(*p) * 16, GFP_KERNEL);
	p = vmalloc(2 * sizeof(struct foo));
	/* Fine by default: ALL_CAPS names are macro constants. */
	p = kmalloc(MAX_FOO * sizeof(*p), GFP_KERNEL);
	p = vmalloc(PAGE_SIZE * NR_PAGES);
	p = kzalloc(ARRAY_SIZE(tbl) * sizeof(*p), GFP_KERNEL);
	/* Fine: no product, or already safe. */
	p = kmalloc(len, GFP_KERNEL);
	p = kmalloc(len + 1, GFP_KERNEL);
	p = kmalloc_array(n, sizeof(*p), GFP_KERNEL);
	p = kcalloc(n, len, GFP_KERNEL);
	p = vmalloc(array_size(n, len));
	p = kmalloc(n << 3, GFP_KERNEL);
	/* Not calls of the allocator: a string, a comment, a declaration. */
	pr_info("kmalloc(n * len) failed\n"); /* kmalloc(n * len) */
	return 0;
}

void *kmalloc(size_t size, gfp_t flags);
