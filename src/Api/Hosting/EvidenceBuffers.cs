using Microsoft.IO;

namespace AssetLedger.Api.Hosting;

/// <summary>
/// The pool of memory a bundle or search certificate is built in before it is sent (a ZIP needs its whole length for
/// Content-Length, and an export that fails must not have sent half a file). A certificate is about 90 KB at a page of 25
/// matches: in a <see cref="MemoryStream"/> that is a 128 KB array on the large-object heap per request, whose churn
/// brings on full collections; pooled 128 KB blocks are taken and given back when the response has been sent (the
/// file result disposes the stream). The pool keeps at most <see cref="KeptFree"/> bytes idle per kind of buffer.
/// </summary>
public static class EvidenceBuffers
{
    public const long KeptFree = 32L * 1024 * 1024;

    public static RecyclableMemoryStreamManager Create() => new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 128 * 1024,
        MaximumSmallPoolFreeBytes = KeptFree,
        MaximumLargePoolFreeBytes = KeptFree,
    });
}
