package dev.kharden.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares two sides check by check. Hardening is <em>gained</em> where a check now passes that did
 * not (failed, unknown, waived or was not run); it is <em>lost</em> where a check passed and now
 * fails or is waived (a waiver accepts a risk, it does not remove it). A check that passed and is now unknown is
 * <em>unconfirmed</em>: reported, but not counted as lost, since the new side may simply lack an input.
 * Not-applicable on either side is neutral (the architecture or version changed).
 */
public final class HardeningDiff {
    /** One check whose standing changed; {@code before} is null when the old side did not run it. */
    public record Change(Side.Entry before, Side.Entry after) {
        public Side.Entry any() {
            return after != null ? after : before;
        }

        /** The bug class a change is grouped under: its feature's first (primary) one. */
        public String bugClass() {
            return any().bugClasses().isEmpty() ? "?" : any().bugClasses().get(0);
        }
    }

    public record Result(Side old, Side now, List<Change> gained, List<Change> lost, List<Change> unconfirmed) {
    }

    private HardeningDiff() {
    }

    public static Result compare(Side old, Side now) {
        List<Change> gained = new ArrayList<>();
        List<Change> lost = new ArrayList<>();
        List<Change> unconfirmed = new ArrayList<>();
        for (Side.Entry after : now.findings().values()) {
            Side.Entry before = old.findings().get(after.id());
            boolean was = before != null && before.passed();
            if (after.passed() && !was && (before == null || !"not_applicable".equals(before.verdict()))) {
                gained.add(new Change(before, after));
            } else if (was && ("fail".equals(after.verdict()) || "waived".equals(after.verdict()))) {
                lost.add(new Change(before, after));
            } else if (was && "unknown".equals(after.verdict())) {
                unconfirmed.add(new Change(before, after));
            }
        }
        return new Result(old, now, gained, lost, unconfirmed);
    }
}
