namespace StreamForge.Worker.Processing;

/// <summary>A job that cannot fit in the worker's temporary folder; retrying on the same worker cannot help.</summary>
public sealed class TempSpaceException(string message) : Exception(message);
