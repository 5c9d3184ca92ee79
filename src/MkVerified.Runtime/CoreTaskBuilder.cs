using System.Runtime.CompilerServices;

namespace MkVerified.Runtime;

/// <summary>Async method builder for <see cref="CoreTask"/>: boxes the state machine once, on first suspension.</summary>
public struct CoreTaskBuilder
{
    private CoreTask? _task;

    public static CoreTaskBuilder Create() => default;

    public CoreTask Task => _task ??= new CoreTask();

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    public void SetResult()
    {
        if (_task is null) _task = CoreTask.CompletedTask;
        else _task.Complete(null);
    }

    public void SetException(Exception exception) => (_task ??= new CoreTask()).Complete(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.OnCompleted(StateMachineBox.ResumeAction(_task ??= new CoreTask(), ref stateMachine));

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.UnsafeOnCompleted(StateMachineBox.ResumeAction(_task ??= new CoreTask(), ref stateMachine));
}

/// <summary>Async method builder for <see cref="CoreTask{T}"/>.</summary>
public struct CoreTaskBuilder<T>
{
    private CoreTask<T>? _task;

    public static CoreTaskBuilder<T> Create() => default;

    public CoreTask<T> Task => _task ??= new CoreTask<T>();

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    public void SetResult(T result)
    {
        if (_task is null) _task = CoreTask<T>.FromResult(result);
        else _task.SetResult(result);
    }

    public void SetException(Exception exception) => (_task ??= new CoreTask<T>()).Complete(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.OnCompleted(StateMachineBox.ResumeAction(_task ??= new CoreTask<T>(), ref stateMachine));

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.UnsafeOnCompleted(StateMachineBox.ResumeAction(_task ??= new CoreTask<T>(), ref stateMachine));
}

internal static class StateMachineBox
{
    /// <summary>
    /// On the first suspension the builder (already holding its task) is copied into a heap box with the
    /// state machine; later suspensions of the same method call reuse the box's cached action. Boxes are pooled
    /// per state-machine type and thread: once the method has returned nothing can resume its box again, so the
    /// next call of that method reuses it (no allocation per message on the URPC path).
    /// </summary>
    public static Action ResumeAction<TStateMachine>(CoreTask task, ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
    {
        if (task.MoveNextAction is { } cached) return cached;
        var box = Box<TStateMachine>.Rent();
        box.Task = task;
        box.StateMachine = stateMachine;
        task.MoveNextAction = box.Resume;
        return box.Resume;
    }

    private sealed class Box<TStateMachine> where TStateMachine : IAsyncStateMachine
    {
        private const int MaxPooled = 4096;

        [ThreadStatic]
        private static Stack<Box<TStateMachine>>? t_pool;

        public TStateMachine StateMachine = default!;
        public CoreTask? Task;
        public readonly Action Resume;

        private Box() => Resume = MoveNext;

        public static Box<TStateMachine> Rent() => t_pool is { Count: > 0 } pool ? pool.Pop() : new Box<TStateMachine>();

        private void MoveNext()
        {
            StateMachine.MoveNext();
            if (!Task!.IsCompleted) return;
            StateMachine = default!; // drop references held by the finished method
            Task = null;
            var pool = t_pool ??= new Stack<Box<TStateMachine>>();
            if (pool.Count < MaxPooled) pool.Push(this);
        }
    }
}
