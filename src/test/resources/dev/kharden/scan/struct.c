/* kharden-scan: --kernel-version 6.1 --macros-as-constants */
/* Fixture: header-plus-array sums and other sums. */

static int setup(struct ctx *chip, int n, int m, unsigned int count)
{
	struct hdr *h = kzalloc(sizeof(*h) + n * sizeof(h->items[0]), GFP_KERNEL); /* EXPECT: struct_size */
	struct hdr *g = kmalloc(sizeof(*g) + sizeof(*g->items) * n, GFP_KERNEL); /* EXPECT: struct_size */
	chip->clk_data = devm_kzalloc(chip->dev, sizeof(*chip->clk_data) + /* EXPECT: struct_size */
				      sizeof(*chip->clk_data->hws) *
				      count,
				      GFP_KERNEL);
	pkey = kmalloc(sizeof *pkey + count * sizeof *pkey->table, GFP_KERNEL); /* EXPECT: struct_size */
	bank = kzalloc(sizeof(*bank) + count * sizeof(*hwlock), GFP_KERNEL); /* EXPECT: struct_size */
	buf = kmalloc(sizeof(struct hdr) + n * sizeof(struct ent), GFP_KERNEL); /* EXPECT: struct_size */
	buf = vmalloc(sizeof(*buf) + n * sizeof(u32) + m * sizeof(u64)); /* EXPECT: size_add */
	buf = kmalloc(2 + len * 2, GFP_KERNEL); /* EXPECT: size_add */

	/* Fine: constant sums, sums without products. */
	buf = kmalloc(sizeof(*buf) + 4 * sizeof(u32), GFP_KERNEL);
	buf = kmalloc(sizeof(*buf) + MAX_ENTS * sizeof(buf->e[0]), GFP_KERNEL);
	buf = kmalloc(sizeof(*buf) + len, GFP_KERNEL);
	buf = kmalloc(struct_size(buf, e, n), GFP_KERNEL);
	return 0;
}
