"""The append-only audit log: one entry per state change, each hashed with the one before it,
the entries the leaves of a Merkle tree whose perfect subtrees are stored for proofs, and the
cosignatures of the monitors who witnessed its checkpoints."""

from django.conf import settings
from django.db import models


class AuditHead(models.Model):
    """The single row every append locks, so entries get gap-free sequence numbers and each
    one hashes the true previous entry, under any interleaving of concurrent writers."""

    size = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    # The roots of the perfect subtrees that make up the tree, largest first, as hex run
    # together: the tree head at any moment, and all an append needs to extend the tree.
    frontier = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"audit log of {self.size} entries"


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor's name as it was: a later rename or deletion must not rewrite history.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    # The entry as its leaf hashes it, byte for byte (canonical JSON of the fields above and
    # the previous hash): verifying hashes these bytes and checks the columns say the same,
    # rather than spelling every entry anew from its columns.
    leaf = models.TextField()

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_name}"


class AuditRow(models.Model):
    """The digest of one domain row as an entry's action left it ("": the action deleted it).
    The entry's leaf commits to the digests of all its rows, so these are checked against it."""

    pk = models.CompositePrimaryKey("entry_seq", "model", "object_pk")
    entry_seq = models.PositiveBigIntegerField()
    model = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=255)
    digest = models.CharField(max_length=64, blank=True)

    class Meta:
        # The audit view's search by case: the entries that wrote a given row.
        indexes = [models.Index(fields=["model", "object_pk"], name="audit_row_by_object")]

    def __str__(self) -> str:
        return f"{self.model} {self.object_pk} as entry {self.entry_seq} left it"


class AuditNode(models.Model):
    """The hash of one perfect subtree of the log above the leaves: 2**level entries from
    entry index * 2**level. Written once, when its last entry is appended; proofs of any
    tree size are folded from these in one query."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"subtree {self.index} at level {self.level}"


class Cosignature(models.Model):
    """A monitor's cosignature of a checkpoint, after checking it extends the last one they
    cosigned. The signed checkpoint and the signature line are kept as they were written."""

    witness = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    root_hash = models.CharField(max_length=64)
    checkpoint = models.TextField()
    signature_line = models.TextField()
    timestamp = models.PositiveBigIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["-size", "-timestamp"]
        indexes = [models.Index(fields=["witness", "size"])]

    def __str__(self) -> str:
        return f"{self.witness} cosigned the log at {self.size} entries"
