/* kharden-scan: --kernel-version 6.1 --macros-as-constants */
/* Fixture: copies, user copies, reallocations and array counts. */

static long ioctl_set(struct dev *d, void __user *arg, u32 n, size_t len)
{
	memcpy(d->tbl, src, n * sizeof(*d->tbl)); /* EXPECT: check_mul_overflow */
	if (copy_from_user(d->tbl, arg, n * sizeof(*d->tbl))) /* EXPECT: check_mul_overflow */
		return -EFAULT;
	if (copy_to_user(arg, d->tbl, sizeof(*d->tbl) * n + len)) /* EXPECT: check_add_overflow */
		return -EFAULT;
	memset(d->tbl, 0, n * len * 4); /* EXPECT: check_mul_overflow */
	p = memdup_user(arg, n * sizeof(*p)); /* EXPECT: check_mul_overflow */
	d->tbl = krealloc(d->tbl, n * sizeof(*d->tbl), GFP_KERNEL); /* EXPECT: krealloc_array */
	d->tbl = kcalloc(n * len, sizeof(*d->tbl), GFP_KERNEL); /* EXPECT: array_size */
	d->tbl = devm_kcalloc(d->dev, n * len, sizeof(*d->tbl), GFP_KERNEL); /* EXPECT: array_size */

	/* Fine. */
	memcpy(d->tbl, src, sizeof(*d->tbl) * 4);
	memcpy(d->tbl, src, len);
	if (copy_from_user(&x, arg, sizeof(x)))
		return -EFAULT;
	return 0;
}
