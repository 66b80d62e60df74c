namespace AssetLedger.Domain.Tests.Bugs;

/// <summary>
/// Confirm looked for a free slot before checking the status, so on an Active asset (every slot filled) a
/// trading center got asset.not_confirmer and the Pending guard could never be reached.
/// </summary>
public class bug_confirming_an_active_asset_reported_not_confirmer
{
    [Fact]
    public void an_eligible_confirmer_is_told_the_asset_is_no_longer_pending()
    {
        var result = When(Given(Active()), Confirm(OtherTradingCenter));

        ThenError(result, "asset.wrong_status");
    }
}
