package dev.kharden.files;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Build step: writes a class whose initialiser hands given bytes to {@link Embedded#register}, as
 * string constants of one char per byte.
 *
 * <p>Usage: {@code EmbeddedWriter CLASSES-FOLDER CLASS-NAME FILE}.
 */
public final class EmbeddedWriter {
    /** Chars per string constant: each is at most two bytes of modified UTF-8, under the 65,535-byte limit. */
    private static final int CHUNK = 30_000;

    private EmbeddedWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: EmbeddedWriter CLASSES-FOLDER CLASS-NAME FILE");
            System.exit(2);
        }
        write(Path.of(args[0]), args[1], Files.readAllBytes(Path.of(args[2])));
    }

    /** Writes the class {@code className}, embedding {@code data}, under the classes folder {@code classes}. */
    public static void write(Path classes, String className, byte[] data) throws IOException {
        Path out = classes.resolve(className.replace('.', '/') + ".class");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.write(tmp, classFile(className, data));
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static byte[] classFile(String className, byte[] data) {
        List<String> chunks = new ArrayList<>();
        String all = new String(data, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < all.length(); i += CHUNK) {
            chunks.add(all.substring(i, Math.min(all.length(), i + CHUNK)));
        }
        ClassDesc registry = ClassDesc.of(Embedded.class.getName());
        return ClassFile.of().build(ClassDesc.of(className), cb -> cb
                .withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withVersion(ClassFile.JAVA_25_VERSION, 0)
                .withSuperclass(ConstantDescs.CD_Object)
                .withMethodBody(ConstantDescs.CLASS_INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_STATIC, code -> {
                    code.loadConstant(className);
                    code.loadConstant(chunks.size());
                    code.anewarray(ConstantDescs.CD_String);
                    for (int i = 0; i < chunks.size(); i++) {
                        code.dup();
                        code.loadConstant(i);
                        code.loadConstant(chunks.get(i));
                        code.aastore();
                    }
                    code.invokestatic(registry, "register",
                            MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_String, ConstantDescs.CD_String.arrayType()));
                    code.return_();
                }));
    }
}
