using System.CommandLine;
using System.Text.Json;
using AssetLedger.Infrastructure.Evidence;
using AssetLedger.Ledger.Evidence;
using Spectre.Console;

namespace AssetLedger.Cli.Commands;

/// <summary>
/// <c>assetledger verify &lt;bundle.zip&gt;</c>: checks an evidence bundle offline, with no database and no network
/// (<see cref="BundleVerifier"/>), prints one pass/fail line per check and, for a failure, what failed and where.
/// With <c>--online</c> it also asks the chains the receipts name (<see cref="OnlineReceiptChecker"/>): each EVM receipt
/// against an endpoint from <c>--evm-rpc</c> (repeatable, <c>url</c> or <c>chainId=url</c>) or ASSETLEDGER_EVM_RPC, each
/// Fabric receipt on the Gateway peer of <c>--fabric-gateway</c> (with <c>--fabric-msp-id</c>, <c>--fabric-cert</c>,
/// <c>--fabric-key</c> and, for https, <c>--fabric-tls-ca</c>), or listed as not checked online without one. Offline,
/// <c>--fabric-msp-root MSPID=ca.pem</c> (repeatable) pins the Fabric organisations whose peers must have endorsed each
/// Fabric receipt's transaction, checked on the envelope the receipt carries.
/// The trust policy (<see cref="VerifyPolicy"/>: a file and/or flags) says what is pinned from outside the bundle: the ledger
/// key, the witnesses and their quorum, the EVM chain, contract and account, the Fabric channel and chaincode.
/// Exit codes: 0 VERIFIED (every check holds and the ledger key and the policy are pinned and met); 1 NOT VERIFIED (a check
/// fails); 2 the bundle cannot be read or the options are wrong; 3 CONSISTENT BUT NOT PINNED (every check holds, but the
/// bundle rests on a key or chain identity the person did not pin: the operator could have made it alone).
/// </summary>
public static class VerifyCommand
{
    public const string EvmRpcVariable = "ASSETLEDGER_EVM_RPC";

    public static Command Create()
    {
        var bundle = new Argument<FileInfo>("bundle") { Description = "The evidence bundle: a ZIP from GET /api/v1/evidence/assets/{id} or /api/v1/evidence/ledger." };
        var ledgerKey = new Option<string?>("--ledger-key")
        {
            Description = "The ledger's verifier key as published (GET /api/v1/ledger/keys → ledgerVerifierKey); the bundle must carry exactly this key.",
        };
        var anchorKey = new Option<string?>("--anchor-key") { Description = "The local anchor's verifier key as published (anchorVerifierKey)." };
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON instead of lines." };
        var online = new Option<bool>("--online")
        {
            Description = "Also check the chain receipts against the chains (EVM: --evm-rpc; Fabric: --fabric-gateway). Without it, verify uses no network at all.",
        };
        var evmRpc = new Option<string[]>("--evm-rpc")
        {
            Description = $"With --online: an EVM JSON-RPC endpoint, 'http://host:8545' or '<chain id>=http://host:8545'; repeatable. Default: {EvmRpcVariable} (comma-separated).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var fabricGateway = new Option<string?>("--fabric-gateway")
        {
            Description = "With --online: a Fabric Gateway peer (https://host:7051, or http://) to check the Fabric receipts on; needs --fabric-msp-id, --fabric-cert, --fabric-key.",
        };
        var fabricTlsCa = new Option<string?>("--fabric-tls-ca") { Description = "PEM file of the CA of the peer's TLS certificate (required for https)." };
        var fabricTlsName = new Option<string?>("--fabric-tls-server-name") { Description = "The name the peer's TLS certificate carries, when it is not the endpoint's host." };
        var fabricMsp = new Option<string?>("--fabric-msp-id") { Description = "The MSP id of the client identity used to read the channel." };
        var fabricCert = new Option<string?>("--fabric-cert") { Description = "The client's certificate (PEM file, or an MSP signcerts/ folder)." };
        var fabricKey = new Option<string?>("--fabric-key") { Description = "The client's private key (PEM file, or an MSP keystore/ folder)." };
        var fabricRoots = new Option<string[]>("--fabric-msp-root")
        {
            Description = "'<MSP id>=<PEM file>': that Fabric organisation's MSP root certificate, pinned from outside the bundle; every Fabric receipt's " +
                          "transaction must carry a valid endorsement by a peer of each organisation given. Repeatable; offline.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("verify", "Check an evidence bundle offline: file hashes, the manifest's signature, event hashes, stream chains, " +
            "inclusion and consistency proofs, checkpoint signatures, anchor receipts (local and chain), signed commands, and the replay of each asset; " +
            "with --online, also the chain receipts against the chains.")
        {
            bundle, ledgerKey, anchorKey, json, online, evmRpc, fabricGateway, fabricTlsCa, fabricTlsName, fabricMsp, fabricCert, fabricKey, fabricRoots,
        };
        foreach (var o in VerifyPolicy.All) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            // Redirected to a file or a pipe, hashes and paths stay on one line each.
            if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 4096;
            var console = AnsiConsole.Console;
            var given = parse.GetValue(evmRpc) ?? [];
            var (pinnedLedgerKey, policy, policyError) = VerifyPolicy.Read(parse, parse.GetValue(ledgerKey));
            if (policyError is not null)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {policyError}");
                return ExitCodes.Usage;
            }
            var fabricValues = new[] { fabricGateway, fabricTlsCa, fabricTlsName, fabricMsp, fabricCert, fabricKey }.Select(o => (o.Name, Value: parse.GetValue(o))).ToList();
            var (roots, rootsError) = MspRoots(parse.GetValue(fabricRoots) ?? []);
            if (rootsError is not null)
            {
                console.MarkupLineInterpolated($"[red]error:[/] --fabric-msp-root: {rootsError}");
                return ExitCodes.Usage;
            }
            var verifierOptions = new VerifierOptions(pinnedLedgerKey, parse.GetValue(anchorKey), policy, roots);
            if (!parse.GetValue(online))
            {
                if (given.Length > 0 || fabricValues.Any(f => f.Value is not null))
                {
                    var named = given.Length > 0 ? "--evm-rpc" : fabricValues.First(f => f.Value is not null).Name;
                    console.MarkupLineInterpolated($"[red]error:[/] {named} is for --online verification; add --online (without it, verify uses no network).");
                    return ExitCodes.Usage;
                }
                return Run(parse.GetValue(bundle)!.FullName, verifierOptions, parse.GetValue(json), console);
            }
            IReadOnlyList<EvmEndpoint> endpoints;
            try
            {
                endpoints = given.Length > 0 ? given.SelectMany(EvmEndpoint.ParseList).ToList() : EvmEndpoint.ParseList(Environment.GetEnvironmentVariable(EvmRpcVariable));
            }
            catch (FormatException e)
            {
                console.MarkupLineInterpolated($"[red]error:[/] --evm-rpc / {EvmRpcVariable}: {e.Message}");
                return ExitCodes.Usage;
            }
            FabricGatewayOptions? fabric = null;
            if (parse.GetValue(fabricGateway) is { } peer)
            {
                var missing = new[] { fabricMsp, fabricCert, fabricKey }.Where(o => string.IsNullOrWhiteSpace(parse.GetValue(o))).Select(o => o.Name).ToList();
                if (peer.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(parse.GetValue(fabricTlsCa))) missing.Add(fabricTlsCa.Name);
                if (!Uri.TryCreate(peer, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                {
                    console.MarkupLineInterpolated($"[red]error:[/] --fabric-gateway '{peer}' is not an https:// or http:// address.");
                    return ExitCodes.Usage;
                }
                if (missing.Count > 0)
                {
                    console.MarkupLineInterpolated($"[red]error:[/] --fabric-gateway needs {string.Join(", ", missing)}.");
                    return ExitCodes.Usage;
                }
                fabric = new FabricGatewayOptions(peer, parse.GetValue(fabricTlsCa), parse.GetValue(fabricTlsName), parse.GetValue(fabricMsp)!, parse.GetValue(fabricCert)!, parse.GetValue(fabricKey)!);
            }
            else if (fabricValues.Any(f => f.Value is not null))
            {
                console.MarkupLine("[red]error:[/] the --fabric-* options describe a Fabric gateway: give --fabric-gateway too.");
                return ExitCodes.Usage;
            }
            return await RunAsync(parse.GetValue(bundle)!.FullName, verifierOptions,
                new OnlineOptions(endpoints, Fabric: fabric, Policy: policy), parse.GetValue(json), console, ct);
        });
        return command;
    }

    /// <summary>'MSP id=PEM file' pairs read into MSP id → PEM; an error names the bad one.</summary>
    static (IReadOnlyDictionary<string, string>? Roots, string? Error) MspRoots(string[] given)
    {
        if (given.Length == 0) return (null, null);
        var roots = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in given)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1) return (null, $"'{pair}' is not <MSP id>=<PEM file>");
            var file = pair[(eq + 1)..];
            if (!File.Exists(file)) return (null, $"no file {file}");
            var pem = File.ReadAllText(file);
            if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) return (null, $"{file} holds no PEM certificate");
            roots[pair[..eq]] = roots.TryGetValue(pair[..eq], out var earlier) ? earlier + pem : pem;
        }
        return (roots, null);
    }

    /// <summary>Offline only: no network.</summary>
    public static int Run(string path, VerifierOptions options, bool asJson, IAnsiConsole console) =>
        RunAsync(path, options, null, asJson, console, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The offline checks and, with <paramref name="online"/>, the check of the chain receipts against the chains.</summary>
    public static async Task<int> RunAsync(string path, VerifierOptions options, OnlineOptions? online, bool asJson, IAnsiConsole console, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            console.MarkupLineInterpolated($"[red]error:[/] no file {path}");
            return ExitCodes.Usage;
        }
        BundleArchive? archive;
        VerificationReport report;
        try
        {
            await using var stream = File.OpenRead(path);
            archive = BundleVerifier.ReadArchive(stream);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException) { archive = null; }
        var files = archive?.Files;
        // Unreadable: the verifier says so in its own words (one "bundle" check).
        report = archive is null ? BundleVerifier.Verify(path, options) : BundleVerifier.Verify(archive, options);
        if (online is not null && files is not null)
            report = report with { Checks = [.. report.Checks, await OnlineReceiptChecker.Check(files, online, ct)] };
        if (asJson)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new { bundle = path, report.Subject, report.Ok, report.Verified, report.Unpinned, report.Checks }, JsonSerializerOptions.Web));
            return ExitCode(report);
        }
        console.MarkupLineInterpolated($"Evidence bundle [bold]{Path.GetFileName(path)}[/]: {report.Subject}");
        foreach (var check in report.Checks)
        {
            console.MarkupLine($"{(check.Passed ? "[green]PASS[/]" : "[red]FAIL[/]")} {Markup.Escape(check.Name)}: {Markup.Escape(check.Summary)}");
            foreach (var failure in check.Failures) console.MarkupLineInterpolated($"     [red]✘[/] {failure}");
        }
        if (report.Verified)
        {
            console.MarkupLineInterpolated($"[green bold]VERIFIED[/]: all {report.Checks.Count} checks hold.");
            return ExitCodes.Ok;
        }
        if (report.Ok)
        {
            console.MarkupLineInterpolated($"[yellow bold]CONSISTENT, NOT PINNED[/]: all {report.Checks.Count} checks hold, but not against keys you pinned:");
            foreach (var reason in report.Unpinned!) console.MarkupLineInterpolated($"     [yellow]![/] {reason}");
            return ExitCodes.Unpinned;
        }
        var failed = report.Failed.Select(c => c.Name).ToList();
        console.MarkupLineInterpolated($"[red bold]NOT VERIFIED[/]: {failed.Count} of {report.Checks.Count} checks failed ({string.Join(", ", failed)}).");
        return ExitCode(report);
    }

    static int ExitCode(VerificationReport report) =>
        report.Verified ? ExitCodes.Ok : report.Ok ? ExitCodes.Unpinned : report.Checks is [{ Name: "bundle" }] ? ExitCodes.Usage : ExitCodes.Failed;
}
