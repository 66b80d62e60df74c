using System.Text.RegularExpressions;

namespace AssetLedger.Architecture.Tests;

/// <summary>
/// One owner per table: a project owns the tables (and views) its own Migrations/ folder creates or indexes, and no other
/// project's SQL names them. Another project reaches them through a port (IEventStore, IIdempotencyStore, ILedgerStatus…),
/// so a change to a table touches one project.
/// </summary>
public partial class TableOwnershipTests
{
    [GeneratedRegex(@"\bCREATE\s+(?:(?:UNLOGGED|TEMP|TEMPORARY)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:public\.)?(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:MATERIALIZED\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:public\.)?(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateView();

    [GeneratedRegex(@"\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\s+)?ON\s+(?:ONLY\s+)?(?:public\.)?(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndexOn();

    static readonly string Src = Path.Combine(RepositoryRoot(), "src");

    [Fact]
    public void Every_table_is_created_and_indexed_by_one_project_only()
    {
        var claims = Claims().GroupBy(c => c.Table).Where(g => g.Select(c => c.Project).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: " + string.Join(", ", g.Select(c => $"{c.File}:{c.Line}"))).ToList();
        Assert.True(claims.Count == 0, "Tables claimed by more than one project's migrations:\n" + string.Join("\n", claims));
    }

    [Fact]
    public void The_migrations_give_the_event_store_and_the_read_models_their_owners()
    {
        var owners = Owners();
        Assert.Equal("Infrastructure", owners.GetValueOrDefault("events"));
        Assert.Equal("Infrastructure", owners.GetValueOrDefault("idempotency_keys"));
        Assert.Equal("Infrastructure", owners.GetValueOrDefault("checkpoints"));
        Assert.Equal("Projections", owners.GetValueOrDefault("assets"));
        Assert.Equal("Projections", owners.GetValueOrDefault("participants"));
        Assert.Equal("Projections", owners.GetValueOrDefault("projection_checkpoints"));
    }

    [Fact]
    public void No_project_names_another_projects_table_in_its_sql()
    {
        var owners = Owners();
        var names = new Regex(@"(?<![\w.$])(" + string.Join("|", owners.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)) + @")(?![\w$])");
        var offences = new List<string>();
        foreach (var file in SourceFiles())
        {
            var project = ProjectOf(file);
            var source = File.ReadAllText(file);
            foreach (var piece in SqlText.Of(file, source))
                foreach (Match m in names.Matches(piece.Text))
                    if (owners[m.Value] != project)
                        offences.Add($"{Relative(file)}:{LineAt(source, piece.Offset + m.Index)}: names {m.Value}, which {owners[m.Value]} owns");
        }
        Assert.True(offences.Count == 0,
            "SQL that names another project's table (reach it through the owner's port instead):\n" + string.Join("\n", offences.Distinct()));
    }

    [Fact]
    public void The_sql_finder_reads_literals_not_prose()
    {
        const string code = """"
            // SELECT * FROM events in a comment
            var a = "Rebuilt 12 events into the read models";
            var b = $"SELECT {Columns} FROM assets WHERE id = {(x ? "a" : "DELETE FROM ownership")}";
            var c = $$"""
                INSERT INTO participants SELECT {{y}}
                """;
            var d = '"';
            var e = @"UPDATE ""quoted"" SET checkpoints = 1";
            """";

        var sql = SqlText.Of("x.cs", code).Select(p => p.Text.Trim()).ToList();

        Assert.Equal(4, sql.Count);
        Assert.Contains(sql, t => t.StartsWith("SELECT") && t.Contains("FROM assets WHERE id =") && !t.Contains("ownership"));
        Assert.Contains("DELETE FROM ownership", sql);
        Assert.Contains(sql, t => t.StartsWith("INSERT INTO participants SELECT") && !t.Contains('y'));
        Assert.Contains(sql, t => t.StartsWith("UPDATE") && t.EndsWith("SET checkpoints = 1"));
        Assert.Equal("SELECT 1 FROM t          \n", SqlText.BlankSqlComments("SELECT 1 FROM t -- events\n"));
    }

    sealed record Claim(string Table, string Project, string File, int Line);

    static IEnumerable<Claim> Claims()
    {
        foreach (var folder in Directory.GetDirectories(Src).Select(p => Path.Combine(p, "Migrations")).Where(Directory.Exists))
            foreach (var file in Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal))
            {
                var source = File.ReadAllText(file);
                var sql = SqlText.BlankSqlComments(source);
                foreach (var pattern in new[] { CreateTable(), CreateView(), CreateIndexOn() })
                    foreach (Match m in pattern.Matches(sql))
                        yield return new Claim(m.Groups[1].Value.ToLowerInvariant(), ProjectOf(file), Relative(file), LineAt(source, m.Index));
            }
    }

    /// <summary>Table → the project whose migrations create it (the first claim; a second claimant fails the test above).</summary>
    static Dictionary<string, string> Owners()
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in Claims()) owners.TryAdd(claim.Table, claim.Project);
        Assert.NotEmpty(owners);
        return owners;
    }

    static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal))
            .Where(f => !Relative(f).Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    /// <summary>src/&lt;Project&gt;/…: the folder under src/ is the project.</summary>
    static string ProjectOf(string file) => Path.GetRelativePath(Src, file).Split(Path.DirectorySeparatorChar)[0];

    static string Relative(string file) => Path.GetRelativePath(Path.GetDirectoryName(Src)!, file).Replace(Path.DirectorySeparatorChar, '/');

    static int LineAt(string source, int offset) => source.AsSpan(0, Math.Min(offset, source.Length)).Count('\n') + 1;

    static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("AssetLedger.sln not found above " + AppContext.BaseDirectory);
    }
}
