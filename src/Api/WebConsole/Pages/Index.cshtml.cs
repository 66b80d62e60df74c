using AssetLedger.Application.Assets;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Projections.Assets;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>What waits for me: confirmations I must give, offers to me, assets I hold as venue. Lists from the read model, each asset only if the visibility rule lets me see it.</summary>
public sealed class IndexModel(AssetQueries assets, IEventStore store, IClock clock) : ConsolePage
{
    /// <summary>How many of each list the dashboard shows; the asset list pages through the rest.</summary>
    public const int Shown = 20;

    /// <summary>At most this many pages of candidates are judged per request, so a dashboard stays cheap whatever the data.</summary>
    const int MaxCandidatePages = 5;

    public IReadOnlyList<AssetView> ToConfirm { get; private set; } = [];
    public IReadOnlyList<AssetView> Offers { get; private set; } = [];
    public IReadOnlyList<AssetView> AsVenue { get; private set; } = [];

    public async Task OnGet(CancellationToken ct)
    {
        var me = Viewer;
        Offers = (await assets.List(new AssetFilter { OfferedTo = me.Id.Value, VisibleTo = me }, null, Shown, ct)).Items;
        AsVenue = (await assets.List(new AssetFilter { VenueId = me.Id.Value, VisibleTo = me }, null, Shown, ct)).Items;
        // Pending assets I may see with a slot still open to me; of those, the ones whose decider would take my
        // confirmation now (not the owner's own, not one I filled). Pages of candidates, so a participant whose first
        // candidates are all refused (its own, expired) still finds the later ones, and each page folds few streams.
        var mine = new List<AssetView>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await assets.List(new AssetFilter { SlotOpenTo = me, VisibleTo = me }, cursor, Shown * 2, ct);
            foreach (var a in page.Items)
            {
                if (mine.Count == Shown) break;
                if (a.OwnerId == me.Id.Value) continue;
                if (!Domain.Common.AssetId.TryParse(a.Id, out var id)) continue;
                var state = await AssetStreams.Load(store, id, ct);
                if (AssetActions.Allowed(me, state, clock.UtcNow).Contains(AssetAction.Confirm)) mine.Add(a);
            }
            cursor = page.NextCursor;
        } while (mine.Count < Shown && cursor is not null && ++pages < MaxCandidatePages);
        ToConfirm = mine;
    }
}
