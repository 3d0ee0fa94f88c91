/**
 * The files VTM writes, whatever module writes them: atomic writes that never leave a half-written
 * file under its final name ({@link org.vtm.artifacts.AtomicFiles}), the provenance every artifact
 * records — versions, machine, code hash and git commit ({@link org.vtm.artifacts.Provenance}) —
 * and the rule that VTM writes only into output directories it created and marked
 * ({@link org.vtm.artifacts.OutputDirectory}). Used by data-gen, spark-jobs, interpreter and
 * evaluation; it depends on nothing of theirs.
 */
package org.vtm.artifacts;
