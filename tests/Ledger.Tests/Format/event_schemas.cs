namespace AssetLedger.Ledger.Tests.Format;

/// <summary>
/// docs/schemas/ specifies every event's data and the state replay must reach (docs/evidence-bundle.md §4, §8):
/// an event type without a schema, a member a schema does not document, or a schema of no event type fails here.
/// Api.Tests' bundle_format_rules validates real bundles against the same files.
/// </summary>
public sealed class event_schemas
{
    [Fact]
    public void every_event_type_has_a_schema_that_documents_each_of_its_members()
    {
        var stale = new List<string>();
        foreach (var (name, type) in BundleSchemas.EventTypes)
            Check(Path.Combine(BundleSchemas.Directory, "events", $"{name}.json"), BundleSchemas.EventSchema(name, type), stale);
        Assert.True(stale.Count == 0, "missing or out of date (rewrite with UPDATE_SCHEMAS=1 and review the change): " + string.Join(", ", stale));
    }

    [Fact]
    public void no_schema_describes_an_event_type_the_format_does_not_have()
    {
        var files = System.IO.Directory.GetFiles(Path.Combine(BundleSchemas.Directory, "events"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(BundleSchemas.EventTypes.Keys.Order(StringComparer.Ordinal), files);
    }

    [Fact]
    public void the_state_and_metadata_schemas_document_each_member()
    {
        var stale = new List<string>();
        Check(Path.Combine(BundleSchemas.Directory, "state.json"), BundleSchemas.StateSchema(), stale);
        Check(Path.Combine(BundleSchemas.Directory, "metadata.json"), BundleSchemas.MetadataSchema(), stale);
        Assert.Empty(stale);
    }

    static void Check(string path, string expected, List<string> stale)
    {
        if (BundleSchemas.Update)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }
        if (!File.Exists(path) || File.ReadAllText(path) != expected) stale.Add(Path.GetRelativePath(BundleSchemas.RepoRoot, path));
    }
}
