using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Ports;

/// <summary>What an export wrote.</summary>
public sealed record EvidenceExport(long TreeSize, long Events, long ParticipantEvents, int Checkpoints, string FileName);

/// <summary>Evidence bundles (docs/evidence-bundle.md): an asset's history, or a range of the log, proven against an anchored checkpoint.</summary>
public interface IEvidenceExport
{
    /// <summary>The largest checkpoint a bundle can be proven against now; 0 if none is anchored.</summary>
    Task<long> AnchoredSize(CancellationToken ct);

    /// <summary>Waits until an anchored checkpoint covers <paramref name="position"/> (and the chains that are up hold it), or <paramref name="wait"/> is over; returns the anchored size.</summary>
    Task<long> WaitForAnchored(long position, TimeSpan wait, CancellationToken ct);

    /// <summary>The position of a stream's last event (0 if it has none).</summary>
    Task<long> LastPosition(string streamId, CancellationToken ct);

    /// <summary>The position of the last event of the asset's stream or of a device stream bound to it: what its bundle holds (0 if none).</summary>
    Task<long> LastPositionOfAsset(AssetId asset, CancellationToken ct);

    Task<EvidenceExport> ExportAsset(AssetId asset, long treeSize, Stream output, CancellationToken ct);

    Task<EvidenceExport> ExportRange(long from, long to, long treeSize, Stream output, CancellationToken ct);

    /// <summary>
    /// A search certificate (docs/search-certificate.md): a bundle of kind <c>search</c> with the whole of each of
    /// <paramref name="streams"/> and the single events at <paramref name="positions"/>, and <paramref name="searchJson"/>
    /// (criteria, time, answer) as search.json, listed in the signed manifest.
    /// </summary>
    Task<EvidenceExport> ExportSearch(IReadOnlyList<string> streams, IReadOnlyList<long> positions, string searchJson, long treeSize, Stream output, CancellationToken ct);
}
