package dev.kharden.scan;

/**
 * The one job: the scan's rules as data (error-prone style): a stable id that never changes, a
 * one-line summary, and the anchor of its section in docs/scan.md. Findings name their rule by id.
 */
public enum Rule {
    ALLOC_MUL("alloc-mul", "open-coded product in an allocator's size",
            "A product with a run-time factor in a size argument wraps silently; the array form checks."),
    ALLOC_MUL3("alloc-mul3", "three-factor product in an allocator's size",
            "Three or more factors multiplied in a size argument; array3_size() saturates on overflow."),
    ALLOC_STRUCT("alloc-struct", "header-plus-array sum in an allocator's size",
            "sizeof(header) + count * sizeof(element): struct_size() computes it without wrapping."),
    ALLOC_SUM("alloc-sum", "sum of products in an allocator's size",
            "A sum containing a non-constant product; size_add()/size_mul() saturate instead of wrapping."),
    ALLOC_COUNT("alloc-count-mul", "product in an array allocator's count",
            "kcalloc(a * b, size): the count itself wraps before kcalloc() can check it."),
    REALLOC_MUL("realloc-mul", "open-coded product in a reallocation size",
            "krealloc(p, n * size): use krealloc_array(), which checks the product."),
    COPY_MUL("copy-mul", "open-coded product in a copy length",
            "memcpy/copy_from_user length from a product: saturation does not help here; check with "
                    + "check_mul_overflow() before copying.");

    private final String id;
    private final String summary;
    private final String explanation;

    Rule(String id, String summary, String explanation) {
        this.id = id;
        this.summary = summary;
        this.explanation = explanation;
    }

    public String id() {
        return id;
    }

    public String summary() {
        return summary;
    }

    public String explanation() {
        return explanation;
    }

    /** Where the rule is explained, relative to the repository root. */
    public String doc() {
        return "docs/scan.md#" + id;
    }

    public static java.util.Optional<Rule> byId(String id) {
        for (Rule r : values()) {
            if (r.id.equals(id)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
