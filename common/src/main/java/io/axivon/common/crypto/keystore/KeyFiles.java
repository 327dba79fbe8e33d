package io.axivon.common.crypto.keystore;

import io.axivon.common.InvalidInputException;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.common.crypto.secp256k1.Secp256k1PrivateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Reads and writes passphrase-encrypted key files: secp256k1 keys as Web3 Secret Storage v3, BLS
 * keys as EIP-2335 v4. Writes are atomic (a temporary file in the same directory, flushed to disk,
 * then published under its name) and never replace an existing file; on POSIX file systems the file
 * is readable and writable by its owner only (mode 600).
 */
public final class KeyFiles {
  /** Files larger than this are not key files; stops a reader from loading a huge file. */
  static final long MAX_FILE_SIZE = 64 * 1024;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final KdfParams kdf;
  private final SecureRandom random;

  /**
   * @param kdf the password hashing of files this writes (reading accepts whatever a file says,
   *     within {@link KdfParams}' bounds)
   */
  public KeyFiles(KdfParams kdf, SecureRandom random) {
    this.kdf = kdf;
    this.random = random;
  }

  /** Writes with the standard scrypt parameters (N = 2^18, r = 8, p = 1). */
  public static KeyFiles standard(SecureRandom random) {
    return new KeyFiles(KdfParams.STANDARD_SCRYPT, random);
  }

  /** Writes a new v3 key file; fails if {@code file} exists. */
  public void writeSecp256k1(Path file, Secp256k1PrivateKey key, String passphrase) {
    requireAbsent(file);
    writeNew(file, Web3SecretStorage.encrypt(key, passphrase, kdf, random));
  }

  /**
   * Writes a new EIP-2335 keystore; fails if {@code file} exists.
   *
   * @param path the key's EIP-2334 path, or "" when it has none
   */
  public void writeBls(Path file, BlsSecretKey key, String passphrase, String path) {
    requireAbsent(file);
    writeNew(file, Eip2335Keystore.encrypt(key, passphrase, kdf, path, "", random));
  }

  /** Reads and decrypts a v3 key file. */
  public Secp256k1PrivateKey readSecp256k1(Path file, String passphrase) {
    return Web3SecretStorage.decrypt(read(file), passphrase);
  }

  /** Reads and decrypts an EIP-2335 keystore. */
  public BlsSecretKey readBls(Path file, String passphrase) {
    return Eip2335Keystore.decrypt(read(file), passphrase);
  }

  static String read(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw KeystoreJson.notAKeyFile(file + " is a directory");
      }
      long size = Files.size(file);
      if (size > MAX_FILE_SIZE) {
        throw KeystoreJson.notAKeyFile(file + " is " + size + " bytes, larger than any key file");
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw KeystoreJson.notAKeyFile(file + " is not UTF-8 text");
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("key file not found: " + file, e);
    } catch (AccessDeniedException e) {
      throw new InvalidInputException("key file is not readable (permission denied): " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read key file " + file, e);
    }
  }

  private static void requireAbsent(Path file) {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw alreadyExists(file);
    }
  }

  private static InvalidInputException alreadyExists(Path file) {
    return new InvalidInputException(
        "key file already exists, refusing to overwrite it: "
            + file
            + " (move it away or choose another name)");
  }

  /**
   * Writes a new secret file readable by its owner only, never replacing an existing one: temp
   * file, fsync, then a hard link to the final name (fails if it exists), then cleanup. A crash
   * leaves either no file or a whole one. Also used for secrets that are not key files (node keys).
   */
  public static void writeNew(Path file, String content) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
              : new FileAttribute<?>[0];
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attributes);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      publish(tmp, target);
      syncDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw alreadyExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write key file " + file, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a leftover hidden temp file is harmless; the key file itself is complete or absent
        }
      }
    }
  }

  private static void publish(Path tmp, Path target) throws IOException {
    try {
      // link(2) is atomic and, unlike rename(2), never replaces an existing file
      Files.createLink(target, tmp);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // no hard links here (some network or FAT file systems): a move without REPLACE_EXISTING
      Files.move(tmp, target);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every platform can open or sync a directory; the file itself was synced
    }
  }
}
