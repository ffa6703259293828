using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitor.Web.Data.Migrations
{
    /// <summary>
    /// Each audit entry gets the hash that chains it to the one before (<c>Audit/AuditChain.cs</c>). SQL cannot compute
    /// SHA-256, so the entries already written are chained by the app right after migrating
    /// (<c>AuditChain.SealExistingAsync</c>); for that one step the update trigger lets a missing hash be filled in and
    /// nothing else.
    /// </summary>
    public partial class AuditHashChain : Migration
    {
        /// <summary>Refuses every update of an entry but filling in its missing hash.</summary>
        public const string NoUpdateTrigger = """
            CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
            WHEN NOT (OLD.Hash IS NULL AND NEW.Hash IS NOT NULL
                      AND NEW.Id IS OLD.Id AND NEW.At IS OLD.At AND NEW.Actor IS OLD.Actor AND NEW.Action IS OLD.Action
                      AND NEW.Target IS OLD.Target AND NEW.Details IS OLD.Details AND NEW.RemoteIp IS OLD.RemoteIp)
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "audit_entries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.Sql("DROP TRIGGER audit_entries_no_update;");
            migrationBuilder.Sql(NoUpdateTrigger);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER audit_entries_no_update;");
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
                """);
            migrationBuilder.DropColumn(
                name: "Hash",
                table: "audit_entries");
        }
    }
}
