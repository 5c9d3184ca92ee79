namespace MkVerified.Protocols.Agreement;

/// <summary>What a participant machine asks of its node: the core's lock table, and where its vote and ack go.</summary>
public interface IParticipantHost
{
    int Core { get; }
    bool ObjectFree { get; }
    long ObjectHolder { get; }
    /// <summary>The holder of the object's lock has lower priority (a lower instance id) than this agreement.</summary>
    bool HolderYields { get; }
    void WaitForLock();
    void TakeLock();
    void ReleaseLock();
    void CastVote(Reply vote);
    void RecordDecision(bool commit);
    void Acknowledge();
}

/// <summary>What coordinators and forwarders both do: fan a request out to the children and run it locally.</summary>
public interface INodeHost
{
    void FanOutPrepare();
    void FanOutDecision(bool commit);
    void PrepareLocally();
    void DecideLocally(bool commit);
}

public interface ICoordinatorHost : INodeHost
{
    int ParticipantCount { get; }
    long Object { get; }
    void OnDecided(bool commit, string reason);
    void OnDone();
}

public interface IForwarderHost : INodeHost
{
    void VoteUp(Reply votes);
    void AckUp(long acks);
}

/// <summary>A host that does nothing, to build machines only to describe them (diagrams).</summary>
internal sealed class DescriptionHost : IParticipantHost, ICoordinatorHost, IForwarderHost
{
    public int Core => 0;
    public bool ObjectFree => true;
    public long ObjectHolder => -1;
    public bool HolderYields => false;
    public void WaitForLock() { }
    public int ParticipantCount => 1;
    public long Object => 0;
    public void TakeLock() { }
    public void ReleaseLock() { }
    public void CastVote(Reply vote) { }
    public void RecordDecision(bool commit) { }
    public void Acknowledge() { }
    public void FanOutPrepare() { }
    public void FanOutDecision(bool commit) { }
    public void PrepareLocally() { }
    public void DecideLocally(bool commit) { }
    public void OnDecided(bool commit, string reason) { }
    public void OnDone() { }
    public void VoteUp(Reply votes) { }
    public void AckUp(long acks) { }
}
