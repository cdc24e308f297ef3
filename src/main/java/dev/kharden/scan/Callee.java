package dev.kharden.scan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one job: which calls the scan inspects, where their size argument sits, and which safe form
 * each one has. The table is data: one row a function, read-only during a run.
 *
 * @param name the function (or macro) name as written at the call site
 * @param family how a product in its size argument is repaired
 * @param sizeArg index of the size (or count) argument; negative counts from the end (-2 = last but one)
 * @param minArgs fewer arguments than this means the call is not the one we know (a local function
 *     of the same name, a macro with another shape): it is left alone
 * @param arrayForm the two-factor function, e.g. kmalloc_array for kmalloc (null if none)
 * @param arraySince the first kernel with {@code arrayForm}
 * @param typedForm the typed allocator of v7.0 (kmalloc_objs for kmalloc), null if none
 * @param flexForm the typed flexible-array allocator of v7.0 (kmalloc_flex), null if none
 */
public record Callee(String name, Family family, int sizeArg, int minArgs, String arrayForm,
        KernelVersion arraySince, String typedForm, String flexForm) {

    /** How a finding on this callee is repaired. */
    public enum Family {
        /** An allocator with a two-factor sibling: kmalloc(a * b) becomes kmalloc_array(a, b). */
        ALLOC_WITH_ARRAY_FORM,
        /** An allocator without one: the product is wrapped, vmalloc(array_size(a, b)). */
        ALLOC_WRAP,
        /** Already an array allocator; its count argument must not itself be a product. */
        ARRAY_COUNT,
        /** A reallocation: krealloc(p, a * b) becomes krealloc_array(p, a, b). */
        REALLOC,
        /** A copy of a length: saturation does not protect it; check_mul_overflow() first. */
        COPY,
        /** A driver-local wrapper recognised by its name (rvmalloc, my_kzalloc). */
        WRAPPER
    }

    /** The first kernel with struct_size(), array_size() and array3_size() (include/linux/overflow.h). */
    public static final KernelVersion OVERFLOW_H = new KernelVersion(4, 18);
    /** flex_array_size(). */
    public static final KernelVersion FLEX_ARRAY_SIZE = new KernelVersion(5, 8);
    /** size_mul(), size_add(), size_sub(). */
    public static final KernelVersion SIZE_MUL = new KernelVersion(5, 18);
    /** The typed kmalloc_obj()/kmalloc_objs()/kmalloc_flex() family. */
    public static final KernelVersion TYPED = new KernelVersion(7, 0);

    private static final KernelVersion ALWAYS = new KernelVersion(2, 6);
    private static final Map<String, Callee> TABLE = new LinkedHashMap<>();

    static {
        typed("kmalloc", 0, 2, "kmalloc_array", ALWAYS, "kmalloc_objs", "kmalloc_flex");
        typed("kzalloc", 0, 2, "kcalloc", ALWAYS, "kzalloc_objs", "kzalloc_flex");
        typed("kvmalloc", 0, 2, "kvmalloc_array", new KernelVersion(4, 12), "kvmalloc_objs", "kvmalloc_flex");
        typed("kvzalloc", 0, 2, "kvcalloc", OVERFLOW_H, "kvzalloc_objs", "kvzalloc_flex");
        typed("kmalloc_node", 0, 3, "kmalloc_array_node", new KernelVersion(4, 14), null, null);
        typed("kzalloc_node", 0, 3, "kcalloc_node", new KernelVersion(4, 14), null, null);
        typed("devm_kmalloc", 1, 3, "devm_kmalloc_array", new KernelVersion(3, 15), null, null);
        typed("devm_kzalloc", 1, 3, "devm_kcalloc", new KernelVersion(3, 15), null, null);
        for (String v : new String[] {"vmalloc", "vzalloc", "vmalloc_user", "vmalloc_32", "vmalloc_32_user",
            "vmalloc_node", "vzalloc_node", "__vmalloc", "__vmalloc_node", "kvmalloc_node", "kvzalloc_node",
            "__kmalloc", "__kmalloc_node"}) {
            add(new Callee(v, Family.ALLOC_WRAP, 0, 1, null, null, null, null));
        }
        for (String v : new String[] {"sock_kmalloc", "f2fs_kmalloc", "f2fs_kzalloc", "f2fs_kvmalloc",
            "f2fs_kvzalloc"}) {
            add(new Callee(v, Family.ALLOC_WRAP, 1, 3, null, null, null, null));
        }
        for (String v : new String[] {"kmalloc_array", "kcalloc", "kvmalloc_array", "kvcalloc",
            "kmalloc_array_node", "kcalloc_node"}) {
            add(new Callee(v, Family.ARRAY_COUNT, 0, 3, null, null, null, null));
        }
        add(new Callee("devm_kmalloc_array", Family.ARRAY_COUNT, 1, 4, null, null, null, null));
        add(new Callee("devm_kcalloc", Family.ARRAY_COUNT, 1, 4, null, null, null, null));
        add(new Callee("krealloc", Family.REALLOC, 1, 3, "krealloc_array", new KernelVersion(5, 12), null, null));
        add(new Callee("kvrealloc", Family.REALLOC, -2, 3, null, null, null, null));
        for (String v : new String[] {"memcpy", "memmove", "memset", "copy_from_user", "copy_to_user",
            "__copy_from_user", "__copy_to_user", "copy_from_user_inatomic", "__copy_from_user_inatomic"}) {
            add(new Callee(v, Family.COPY, 2, 3, null, null, null, null));
        }
        add(new Callee("memdup_user", Family.COPY, 1, 2, "memdup_array_user", new KernelVersion(6, 7), null, null));
        add(new Callee("vmemdup_user", Family.COPY, 1, 2, "vmemdup_array_user", new KernelVersion(6, 7), null,
                null));
        add(new Callee("kmemdup", Family.COPY, 1, 3, null, null, null, null));
        add(new Callee("clear_user", Family.COPY, 1, 2, null, null, null, null));
        add(new Callee("__clear_user", Family.COPY, 1, 2, null, null, null, null));
    }

    /** The base names a driver-local wrapper may end with (rvmalloc, my_kzalloc, foo_vzalloc). */
    private static final String[] WRAPPED_BASES = {"kvzalloc", "kvmalloc", "kzalloc", "kmalloc", "vzalloc", "vmalloc"};

    private static void typed(String n, int arg, int min, String array, KernelVersion since, String t, String f) {
        add(new Callee(n, Family.ALLOC_WITH_ARRAY_FORM, arg, min, array, since, t, f));
    }

    private static void add(Callee c) {
        TABLE.put(c.name, c);
    }

    /** The known function of this name, if it is one the scan inspects. */
    public static Optional<Callee> known(String name) {
        return Optional.ofNullable(TABLE.get(name));
    }

    /**
     * A driver-local wrapper guessed from its name: it ends with an allocator's name and is not one.
     * Its size argument is the first of a vmalloc-like wrapper, and for a kmalloc-like one the first of
     * two arguments or the second of three (handle, size, gfp), as in the kernel's own families.
     */
    public static Optional<Callee> wrapper(String name, int argCount) {
        if (TABLE.containsKey(name) || name.startsWith("__")) {
            return Optional.empty();
        }
        for (String base : WRAPPED_BASES) {
            if (name.length() > base.length() && name.endsWith(base)) {
                boolean vlike = base.startsWith("v");
                int arg = vlike ? 0 : argCount == 2 ? 0 : argCount == 3 ? 1 : -1;
                if (arg < 0 || (vlike && argCount > 2)) {
                    return Optional.empty();
                }
                return Optional.of(new Callee(name, Family.WRAPPER, arg, 1, null, null, null, null));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code name} could be a wrapper's name (cheap pre-filter before the argument count is known). */
    public static boolean mayBeWrapper(String name) {
        for (String base : WRAPPED_BASES) {
            if (name.length() > base.length() && name.endsWith(base)) {
                return true;
            }
        }
        return false;
    }

    /** The argument index for a call with {@code argCount} arguments, or -1 if it has too few. */
    public int sizeIndex(int argCount) {
        if (argCount < minArgs) {
            return -1;
        }
        int i = sizeArg >= 0 ? sizeArg : argCount + sizeArg;
        return i >= 0 && i < argCount ? i : -1;
    }

    /** Every known name, for the pre-filter that finds candidate calls in the raw bytes. */
    public static java.util.Set<String> knownNames() {
        return java.util.Collections.unmodifiableSet(TABLE.keySet());
    }
}
