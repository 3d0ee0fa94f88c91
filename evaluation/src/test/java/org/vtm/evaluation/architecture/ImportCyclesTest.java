package org.vtm.evaluation.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The import graph of the main code of every module has no cycles: not between packages, and not
 * between two top-level classes (a class and its nested classes count as one). Checked on the
 * compiled classes, so a cycle cannot come back unnoticed.
 *
 * <p>One group of classes counts as a single unit: the {@code Var} algebra's values
 * ({@link org.vtm.transforms.Space}, {@link org.vtm.transforms.Var},
 * {@link org.vtm.transforms.TensorSeries}, {@link org.vtm.transforms.Elementary}). Its API is the
 * seed's dCpp API by design — a space makes variables, a variable knows its space and gives its
 * series, a user's elementary function is expanded in the same algebra — so these four refer to
 * each other and are one concept spread over four files, not an owner mix-up.
 */
class ImportCyclesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.vtm");

    private static final java.util.Set<String> VAR_ALGEBRA = java.util.Set.of("org.vtm.transforms.Space",
            "org.vtm.transforms.Var", "org.vtm.transforms.TensorSeries", "org.vtm.transforms.Elementary");

    /** Each top-level class its own slice (the Var algebra's four classes one). */
    private static final SliceAssignment BY_CLASS = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            JavaClass top = c;
            while (top.getEnclosingClass().isPresent()) {
                top = top.getEnclosingClass().get();
            }
            if (VAR_ALGEBRA.contains(top.getName())) {
                return SliceIdentifier.of("the Var algebra (Space, Var, TensorSeries, Elementary)");
            }
            return SliceIdentifier.of(top.getName());
        }

        @Override
        public String getDescription() {
            return "top-level classes";
        }
    };

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.vtm.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void classesFormNoCycle() {
        slices().assignedFrom(BY_CLASS).should().beFreeOfCycles().check(MAIN);
    }
}
