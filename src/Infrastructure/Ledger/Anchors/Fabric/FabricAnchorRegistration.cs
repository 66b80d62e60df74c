using AssetLedger.Application.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// Configuration of a Fabric anchor target (<c>AssetLedger:Chains:Fabric</c>). Secrets are not here: the
/// certificate and the private key are read from the files named, at first use.
/// </summary>
public sealed class FabricAnchorOptions
{
    /// <summary>The Gateway peer, e.g. <c>https://localhost:7051</c>. Empty: no Fabric anchor.</summary>
    public string? Endpoint { get; set; }

    /// <summary>PEM file of the CA that issued the peer's TLS certificate (required for https).</summary>
    public string? TlsRootCertFile { get; set; }

    /// <summary>Or the CA certificate itself, PEM (public; a managed chain record keeps it).</summary>
    public string? TlsRootCertificatePem { get; set; }

    /// <summary>The name the peer's TLS certificate must carry when it differs from the endpoint's host (e.g. <c>peer0.org1.example.com</c>).</summary>
    public string? TlsServerName { get; set; }

    public string? MspId { get; set; }

    /// <summary>The client's X.509 certificate (PEM), or a folder holding only it (an MSP's <c>signcerts/</c>).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The client's ECDSA P-256 private key (PEM), or a folder holding only it (an MSP's <c>keystore/</c>).</summary>
    public string? PrivateKeyFile { get; set; }

    public string? Channel { get; set; }
    public string Chaincode { get; set; } = "checkpoint-anchor";

    public TimeSpan EndorseTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan SubmitTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan EvaluateTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);

    public void Validate()
    {
        var missing = new[] { (nameof(Endpoint), Endpoint), (nameof(MspId), MspId), (nameof(CertificateFile), CertificateFile), (nameof(PrivateKeyFile), PrivateKeyFile), (nameof(Channel), Channel), (nameof(Chaincode), Chaincode) }
            .Where(p => string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"AssetLedger:Chains:Fabric needs {string.Join(", ", missing)}.");
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new InvalidOperationException($"AssetLedger:Chains:Fabric:Endpoint '{Endpoint}' is not an https:// or http:// address.");
        if (uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrWhiteSpace(TlsRootCertFile) && string.IsNullOrWhiteSpace(TlsRootCertificatePem))
            throw new InvalidOperationException("AssetLedger:Chains:Fabric:TlsRootCertFile (or the network's TLS root certificate) is required for an https endpoint.");
    }
}

public static class FabricAnchorRegistration
{
    /// <summary>
    /// Registers a <see cref="FabricAnchor"/> as one more <see cref="IAnchor"/> when <paramref name="section"/>
    /// (<c>AssetLedger:Chains:Fabric</c>) names an endpoint; otherwise does nothing. Call after <c>AddLedger</c>.
    /// The Gateway connection and the identity are made on first use: a missing file or an unreachable peer is this
    /// anchor's error (retried, shown in its cursor) and never stops the service or the other anchors.
    /// </summary>
    public static IServiceCollection AddFabricAnchor(this IServiceCollection services, IConfigurationSection section)
    {
        var options = section.Get<FabricAnchorOptions>() ?? new FabricAnchorOptions();
        if (!options.IsConfigured) return services;
        options.Validate();
        services.AddSingleton<IAnchor>(sp => CreateFabricAnchor(options, sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IClock>()));
        return services;
    }

    /// <summary>A Fabric anchor target from its options (from configuration, or from a managed chain record).</summary>
    public static FabricAnchor CreateFabricAnchor(FabricAnchorOptions options, NpgsqlDataSource db, IClock clock)
    {
        options.Validate();
        var checkpoints = new CheckpointStore(db);
        return new FabricAnchor(options.Channel!, options.Chaincode, options.MspId!, Connector(options), (c, ct) => PreviousRoot(checkpoints, c, ct), clock);
    }

    /// <summary>Connects once, on first use; a failed attempt is retried at the next use.</summary>
    public static Func<CancellationToken, Task<IFabricContract>> Connector(FabricAnchorOptions options)
    {
        IFabricContract? contract = null;
        var gate = new SemaphoreSlim(1, 1);
        return async ct =>
        {
            if (contract is not null) return contract;
            await gate.WaitAsync(ct);
            try
            {
                if (contract is not null) return contract;
                var identity = FabricIdentity.FromFiles(options.MspId!, options.CertificateFile!, options.PrivateKeyFile!);
                var tlsRoot = !string.IsNullOrWhiteSpace(options.TlsRootCertificatePem) ? options.TlsRootCertificatePem
                    : string.IsNullOrWhiteSpace(options.TlsRootCertFile) ? null : await File.ReadAllTextAsync(options.TlsRootCertFile, ct);
                var client = FabricGatewayClient.Connect(new Uri(options.Endpoint!), tlsRoot, options.TlsServerName, identity, new FabricGatewayTimeouts
                {
                    Endorse = options.EndorseTimeout, Submit = options.SubmitTimeout, Commit = options.CommitTimeout, Evaluate = options.EvaluateTimeout,
                });
                return contract = new FabricGatewayContract(client, options.Channel!, options.Chaincode);
            }
            finally
            {
                gate.Release();
            }
        };
    }

    /// <summary>The root of the stored checkpoint before <paramref name="checkpoint"/>, after checking it is the one its note names.</summary>
    public static async Task<string?> PreviousRoot(CheckpointStore checkpoints, CheckpointToAnchor checkpoint, CancellationToken ct)
    {
        var before = await checkpoints.Before(checkpoint.TreeSize, ct);
        if (before is null)
            return checkpoint.PreviousCheckpointHash is null ? null
                : throw new InvalidOperationException($"Checkpoint {checkpoint.TreeSize} names a previous checkpoint that is not stored.");
        if (!string.Equals(Convert.ToHexStringLower(before.NoteHash), checkpoint.PreviousCheckpointHash, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Checkpoint {checkpoint.TreeSize} does not follow the stored checkpoint {before.TreeSize}.");
        return Convert.ToHexStringLower(before.RootHash);
    }
}
