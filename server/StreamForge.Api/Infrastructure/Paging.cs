namespace StreamForge.Api.Infrastructure;

/// <summary>
/// Page numbers and sizes from the query string, for every paged list. The offset is (page - 1) × size: without an
/// upper bound on the page a caller picks numbers whose product overflows int and the query fails on our side.
/// </summary>
public static class Paging
{
    /// <summary>Far past any real list (a million pages); the offset it gives still fits easily in an int.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>A refusal (400) for a page past <see cref="MaxPage"/>; null when the page is usable (below 1 counts as 1).</summary>
    public static Refusal? Check(int? page) =>
        page > MaxPage ? Refusal.BadRequest($"page must be between 1 and {MaxPage}.") : null;

    /// <summary>The page (at least 1) and the size (1 to <paramref name="maxSize"/>) a list is read with.</summary>
    public static (int Page, int Size) Clamp(int? page, int? pageSize, int defaultSize, int maxSize) =>
        (Math.Clamp(page ?? 1, 1, MaxPage), Math.Clamp(pageSize ?? defaultSize, 1, maxSize));
}
