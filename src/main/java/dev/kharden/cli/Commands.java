package dev.kharden.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry of kharden's subcommands, in help order. Main builds the picocli model only for the
 * subcommand being run (reflecting over every command's annotations costs start-up time that a
 * one-config audit cannot afford), and of a group's subcommand only the one named second; help and
 * unknown commands get the full tree. A test checks that each name here matches its class's
 * @Command name.
 */
final class Commands {
    static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();
    /** The subcommands of the group commands, in help order; a run builds only the one it names. */
    static final Map<String, Map<String, Supplier<Object>>> GROUPS = new LinkedHashMap<>();

    static {
        ALL.put("check", CheckCommand::new);
        ALL.put("catalog", CatalogCommand::new);
        ALL.put("explain", ExplainCommand::new);
        ALL.put("docs", DocsCommand::new);
        ALL.put("fix", FixCommand::new);
        ALL.put("diff", DiffCommand::new);
        ALL.put("modsig", ModsigCommand::new);
        ALL.put("livepatch", LivepatchCommand::new);
        ALL.put("keygen", KeygenCommand::new);
        ALL.put("seal", SealCommand::new);
        ALL.put("unseal", UnsealCommand::new);
        ALL.put("symbolize", SymbolizeCommand::new);
        ALL.put("redact", RedactCommand::new);
        ALL.put("scan", ScanCommand::new);
        ALL.put("__train", TrainCommand::new);
        Map<String, Supplier<Object>> modsig = new LinkedHashMap<>();
        modsig.put("inspect", ModsigInspectCommand::new);
        modsig.put("verify", ModsigVerifyCommand::new);
        modsig.put("certs", ModsigCertsCommand::new);
        modsig.put("sign", ModsigSignCommand::new);
        GROUPS.put("modsig", modsig);
    }

    private Commands() {
    }
}
