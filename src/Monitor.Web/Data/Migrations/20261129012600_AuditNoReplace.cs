using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitor.Web.Data.Migrations
{
    /// <summary>
    /// <c>INSERT OR REPLACE</c> (and <c>REPLACE INTO</c>) deletes the row it collides with without firing a DELETE
    /// trigger, so it could rewrite an audit entry under its old id; refusing any insert onto an existing id closes that
    /// door. The schema itself does not change, hence no model snapshot.
    /// </summary>
    [DbContext(typeof(MonitorDbContext))]
    [Migration("20261129012600_AuditNoReplace")]
    public partial class AuditNoReplace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_entries_no_replace BEFORE INSERT ON audit_entries
                WHEN EXISTS (SELECT 1 FROM audit_entries WHERE Id = NEW.Id)
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER audit_entries_no_replace;");
        }
    }
}
