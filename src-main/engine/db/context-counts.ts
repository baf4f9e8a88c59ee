/**
 * Activities counted per context (all, and usable for training), joined to the context's columns
 * as `x`. Grouping the contexts' counts reads the activity_records_context index and a table of a
 * few hundred rows, instead of every activity's texts: for summaries by target or type.
 */
export const CONTEXT_COUNTS = `(SELECT context_id, count(*) AS n, sum(usable) AS usable
     FROM activity_records GROUP BY context_id) r
   JOIN activity_contexts x ON x.id = r.context_id`
