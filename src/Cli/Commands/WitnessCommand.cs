using System.CommandLine;
using AssetLedger.Cli.Witness;
using AssetLedger.Ledger.Notes;
using AssetLedger.Ledger.Witness;
using Spectre.Console;

namespace AssetLedger.Cli.Commands;

/// <summary>
/// <c>assetledger witness</c>: a C2SP tlog-witness that a regulator, a bank or a court runs on its own machine with its own
/// key and its own directory (docs/witness.md). <c>serve</c> answers add-checkpoint on 127.0.0.1; <c>key</c> prints (and on
/// first use creates) its verifier key; <c>equivocations</c> prints the equivocation proofs it kept, checked with the log's key.
/// </summary>
public static class WitnessCommand
{
    public const string DefaultName = "witness.local/w1";

    public static Command Create()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "The witness's own directory: its key, the latest checkpoint per log, the equivocations.", Required = true };
        var name = new Option<string>("--name") { Description = $"The witness key's name, used when the key is first created (default {DefaultName}).", DefaultValueFactory = _ => DefaultName };
        var logKey = new Option<string[]>("--log-key")
        {
            Description = "The verifier key of a log to witness (GET /api/v1/ledger/keys → ledgerVerifierKey); its name is the log's origin. Repeatable.",
            Arity = ArgumentArity.OneOrMore, Required = true,
        };
        var port = new Option<int>("--port") { Description = "The port on 127.0.0.1 (default 7380).", DefaultValueFactory = _ => 7380 };
        var serve = new Command("serve", "Serve POST /add-checkpoint (tlog-witness) on 127.0.0.1 until stopped.") { dir, name, logKey, port };
        serve.SetAction(async (parse, ct) =>
        {
            var logs = ParseLogKeys(parse.GetValue(logKey)!, out var error);
            if (logs is null) { AnsiConsole.MarkupLineInterpolated($"[red]error:[/] --log-key: {error}"); return ExitCodes.Usage; }
            var store = new WitnessStore(parse.GetValue(dir)!.FullName);
            using var key = store.LoadOrCreateKey(parse.GetValue(name)!);
            await using var server = WitnessServer.Start(store, key, logs, parse.GetValue(port));
            Console.WriteLine($"witness key: {server.VerifierKey}");
            Console.WriteLine($"listening on {server.Url} (add-checkpoint, equivocations, key) for {string.Join(", ", logs.Select(l => l.Name))}");
            try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
            return ExitCodes.Ok;
        });

        var keyCommand = new Command("key", "Print the witness's verifier key (creating the key on first use): the key a verifier pins with --witness-key.") { dir, name };
        keyCommand.SetAction(parse =>
        {
            using var key = new WitnessStore(parse.GetValue(dir)!.FullName).LoadOrCreateKey(parse.GetValue(name)!);
            Console.WriteLine(key.Key.VerifierKey);
            return ExitCodes.Ok;
        });

        var checkKey = new Option<string?>("--log-key") { Description = "The log's verifier key: each proof is checked with it." };
        var equivocations = new Command("equivocations", "Print every equivocation proof the witness kept (one JSON per line); exit 1 if there is any.") { dir, checkKey };
        equivocations.SetAction(parse =>
        {
            var store = new WitnessStore(parse.GetValue(dir)!.FullName);
            NoteVerifier? log = null;
            if (parse.GetValue(checkKey) is { } k)
                try { log = NoteVerifier.Parse(k); }
                catch (FormatException e) { Console.Error.WriteLine($"error: --log-key: {e.Message}"); return ExitCodes.Usage; }
            var found = store.Equivocations();
            foreach (var line in found)
            {
                Console.WriteLine(line);
                if (log is not null)
                    Console.Error.WriteLine(EquivocationProof.Check(EquivocationProof.FromJson(line), log) is { } why
                        ? $"  not a proof against {log.Name}: {why}" : $"  proof: {log.Name} signed two checkpoints that cannot both be true");
            }
            Console.Error.WriteLine($"{found.Count} equivocation(s) kept in {store.EquivocationsPath}");
            return found.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return new Command("witness", "Run a transparency-log witness (C2SP tlog-witness, tlog-cosignature) with its own key and storage.") { serve, keyCommand, equivocations };
    }

    static List<NoteVerifier>? ParseLogKeys(string[] keys, out string? error)
    {
        var logs = new List<NoteVerifier>();
        foreach (var k in keys)
        {
            try { logs.Add(NoteVerifier.Parse(k)); }
            catch (FormatException e) { error = $"'{k}': {e.Message}"; return null; }
        }
        error = null;
        return logs;
    }
}
