using System.Net;
using System.Text.Json;

namespace AssetLedger.Api.Tests.Support;

/// <summary>Anonymous applications (POST /api/v1/participants/applications), from the default or another client address.</summary>
public static class Applications
{
    public const string Path = "/api/v1/participants/applications";

    public static string Body(string id, string adminLogin, string adminPassword) => JsonSerializer.Serialize(new
    {
        id, name = $"{id} Storage Co.", creditCode = "91350100M000100Y43", contact = "Li Na +86 22 5555 0101",
        roles = new[] { "Owner", "Warehouse" }, adminLogin, adminPassword,
    });

    public static Task<Reply> Apply(this ApiServer api, string id, string adminLogin, string adminPassword) =>
        api.SendRaw(HttpMethod.Post, Path, null, Body(id, adminLogin, adminPassword));

    public static Task<Reply> ApplyFrom(this ApiServer api, IPAddress from, string id, string adminLogin, string adminPassword) =>
        api.SendFrom(from, HttpMethod.Post, Path, null, Body(id, adminLogin, adminPassword));
}
