namespace StreamForge.Api.Admin;

public sealed record RequeueResult(int Requeued);
