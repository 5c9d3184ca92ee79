namespace MkVerified.Protocols.Shootdown;

/// <summary>Checker hooks (never protocol logic): told when a frame is freed and when an operation completes.</summary>
public interface IShootdownObserver
{
    void FrameFreed(int core, long frame);
    void Completed(int core, long instance, int page);

    /// <summary>The page-table owner finished a map or unmap (before it replies): <paramref name="applied"/> is false when it was refused.</summary>
    void OperationDone(int owner, PageOperation operation, bool applied) { }
}
