using System.Runtime.CompilerServices;

namespace MkVerified.Runtime;

/// <summary>
/// The task type of code that runs on an emulated core. Unlike <see cref="Task"/> it never touches a
/// synchronization context, the thread pool or timers: a suspended core is resumed only by the runtime's
/// scheduler, on the scheduler's thread, so the scheduler alone decides every interleaving.
/// </summary>
[AsyncMethodBuilder(typeof(CoreTaskBuilder))]
public class CoreTask
{
    internal static readonly CoreTask CompletedTask = new() { IsCompleted = true };
    private Action? _continuation;

    public bool IsCompleted { get; private protected set; }
    public Exception? Error { get; private set; }

    /// <summary>The state machine's resume action, cached so a method that suspends many times allocates once.</summary>
    internal Action? MoveNextAction { get; set; }

    public static CoreTask Completed => CompletedTask;

    public CoreTaskAwaiter GetAwaiter() => new(this);

    internal void OnCompleted(Action continuation)
    {
        if (_continuation is not null) throw new InvalidOperationException("A CoreTask can be awaited only once.");
        _continuation = continuation;
    }

    internal void Complete(Exception? error)
    {
        Error = error;
        IsCompleted = true;
        var k = _continuation;
        _continuation = null;
        k?.Invoke();
    }

    internal void ThrowIfFaulted()
    {
        if (Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Error);
    }
}

/// <summary>A <see cref="CoreTask"/> with a result.</summary>
[AsyncMethodBuilder(typeof(CoreTaskBuilder<>))]
public sealed class CoreTask<T> : CoreTask
{
    public T Result { get; private set; } = default!;

    internal void SetResult(T value)
    {
        Result = value;
        Complete(null);
    }

    public new CoreTaskAwaiter<T> GetAwaiter() => new(this);

    public static CoreTask<T> FromResult(T value)
    {
        var t = new CoreTask<T> { Result = value };
        t.IsCompleted = true;
        return t;
    }
}

public readonly struct CoreTaskAwaiter(CoreTask task) : ICriticalNotifyCompletion
{
    public bool IsCompleted => task.IsCompleted;
    public void GetResult() => task.ThrowIfFaulted();
    public void OnCompleted(Action continuation) => task.OnCompleted(continuation);
    public void UnsafeOnCompleted(Action continuation) => task.OnCompleted(continuation);
}

public readonly struct CoreTaskAwaiter<T>(CoreTask<T> task) : ICriticalNotifyCompletion
{
    public bool IsCompleted => task.IsCompleted;

    public T GetResult()
    {
        task.ThrowIfFaulted();
        return task.Result;
    }

    public void OnCompleted(Action continuation) => task.OnCompleted(continuation);
    public void UnsafeOnCompleted(Action continuation) => task.OnCompleted(continuation);
}
