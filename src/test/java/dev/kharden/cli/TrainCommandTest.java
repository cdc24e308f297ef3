package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every start-up cache group trains on workloads that really succeed, offline, with what the repo has. */
class TrainCommandTest {
    @ParameterizedTest
    @EnumSource(TrainCommand.Group.class)
    void everyGroupsWorkloadsSucceed(TrainCommand.Group group) {
        CliRun r = CliRun.of("__train", group.name());
        assertThat(r.code()).as(r.err()).isZero();
    }
}
