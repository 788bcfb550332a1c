<?php

declare(strict_types=1);

namespace SbmCrm;

use GuzzleHttp\ClientInterface;

/**
 * One service of the platform (auth, point, cluster, reward, notification) with every operation of
 * its generated Api classes, found by reflection: `$client->point()->transactionsEarn($body)` calls
 * `SbmCrm\Generated\Point\Api\TransactionsApi::transactionsEarn` and returns the envelope's `data`.
 *
 * Arguments go through as the generated method declares them, positional or named. A model
 * parameter also takes a plain array with the JSON field names; a `\SplFileObject` parameter also
 * takes a path-less string of bytes or a stream resource; a string parameter also takes a
 * `\DateTimeInterface` (RFC 3339). An `$idempotencyKey` left out gets a fresh UUID v4.
 */
final class Service
{
    /** @var array<string, array{0: class-string, 1: \ReflectionMethod}>|null operationId => [Api class, method] */
    private ?array $operations = null;

    /** @var array<class-string, object> */
    private array $apis = [];

    private ?object $config = null;

    public function __construct(
        private readonly string $name,
        private readonly string $baseUrl,
        private readonly ClientInterface $http,
        private readonly string $userAgent,
    ) {
    }

    /** The service's name: `auth`, `point`, `cluster`, `reward` or `notification`. */
    public function name(): string
    {
        return $this->name;
    }

    /** @return list<string> every operationId of this service */
    public function operations(): array
    {
        $names = array_keys($this->index());
        sort($names);

        return $names;
    }

    /** The generated Api object (e.g. `TransactionsApi::class`), for `...WithHttpInfo` or async use. */
    public function api(string $class): object
    {
        if (!str_contains($class, '\\')) {
            $class = $this->namespace() . '\\Api\\' . $class;
        }
        if (!isset($this->apis[$class])) {
            $this->apis[$class] = new $class($this->http, $this->configuration());
        }

        return $this->apis[$class];
    }

    /** @param array<int|string, mixed> $arguments */
    public function __call(string $operation, array $arguments): mixed
    {
        $index = $this->index();
        if (!isset($index[$operation])) {
            throw new \BadMethodCallException(sprintf('The %s service has no operation %s', $this->name, $operation));
        }
        [$class, $method] = $index[$operation];
        $result = $method->invokeArgs($this->api($class), $this->arguments($method, $arguments));
        if (is_object($result) && method_exists($result, 'getData') && method_exists($result, 'getStatusCode')) {
            return $result->getData();
        }

        return $result;
    }

    /**
     * @param array<int|string, mixed> $given
     * @return array<string, mixed> named arguments for the generated method
     */
    private function arguments(\ReflectionMethod $method, array $given): array
    {
        $byName = [];
        $position = 0;
        foreach ($method->getParameters() as $parameter) {
            $name = $parameter->getName();
            if (array_key_exists($name, $given)) {
                $byName[$name] = $this->coerce($parameter, $given[$name]);
                unset($given[$name]);
            } elseif (array_key_exists($position, $given)) {
                $byName[$name] = $this->coerce($parameter, $given[$position]);
                unset($given[$position]);
            }
            $position++;
        }
        if ($given !== []) {
            throw new \InvalidArgumentException(sprintf(
                '%s() has no parameter %s',
                $method->getName(),
                implode(', ', array_map('strval', array_keys($given))),
            ));
        }
        if ($method->getNumberOfParameters() > 0 && self::hasParameter($method, 'idempotencyKey')
            && ($byName['idempotencyKey'] ?? null) === null) {
            $byName['idempotencyKey'] = self::uuid4();
        }

        return $byName;
    }

    private function coerce(\ReflectionParameter $parameter, mixed $value): mixed
    {
        $type = $parameter->getType();
        $types = $type instanceof \ReflectionUnionType ? $type->getTypes() : [$type];
        foreach ($types as $t) {
            if (!$t instanceof \ReflectionNamedType) {
                continue;
            }
            $class = $t->getName();
            if (is_array($value) && !$t->isBuiltin() && is_subclass_of($class, $this->namespace() . '\\Model\\ModelInterface')) {
                return $this->model($value, $class);
            }
            if ($class === \SplFileObject::class && !$value instanceof \SplFileObject && $value !== null) {
                return Upload::file($value);
            }
            if ($class === 'string' && $value instanceof \DateTimeInterface) {
                return $value->format(\DateTimeInterface::RFC3339);
            }
        }

        return $value;
    }

    /**
     * A request model from an array with the JSON field names (or the model's property names).
     * Only the given fields are set, so nothing absent is sent as null.
     *
     * @param array<string, mixed> $data
     */
    private function model(array $data, string $class): object
    {
        $class = ltrim($class, '\\');
        if (is_subclass_of($class, $this->namespace() . '\\Model\\OneOfInterface')
            || is_subclass_of($class, $this->namespace() . '\\Model\\AnyOfInterface')) {
            $serializer = $this->namespace() . '\\ObjectSerializer';

            return $serializer::deserialize(json_decode(json_encode($data, JSON_THROW_ON_ERROR)), '\\' . $class);
        }
        $properties = array_flip($class::attributeMap());
        $types = $class::openAPITypes();
        $fields = [];
        foreach ($data as $key => $value) {
            $property = $properties[$key] ?? (isset($types[$key]) ? $key : null);
            if ($property === null) {
                throw new \InvalidArgumentException(sprintf('%s has no field %s', $class, $key));
            }
            $fields[$property] = $this->field($value, $types[$property]);
        }

        return new $class($fields);
    }

    private function field(mixed $value, string $type): mixed
    {
        $type = ltrim($type, '\\');
        if ($value instanceof \DateTimeInterface) {
            return $value->format(\DateTimeInterface::RFC3339_EXTENDED);
        }
        if (str_ends_with($type, '[]') && is_array($value)) {
            return array_map(fn ($item) => $this->field($item, substr($type, 0, -2)), $value);
        }
        if (is_array($value) && is_subclass_of($type, $this->namespace() . '\\Model\\ModelInterface')) {
            return $this->model($value, $type);
        }
        if ((is_string($value) || is_int($value)) && is_subclass_of($type, \BackedEnum::class)) {
            $case = $type::tryFrom($value);
            if ($case === null) {
                throw new \InvalidArgumentException(sprintf('%s is not one of %s', var_export($value, true),
                    implode(', ', array_map(fn ($c) => $c->value, $type::cases()))));
            }

            return $case;
        }
        return $value;
    }

    /** @return array<string, array{0: class-string, 1: \ReflectionMethod}> */
    private function index(): array
    {
        if ($this->operations !== null) {
            return $this->operations;
        }
        $this->operations = [];
        $configuration = new \ReflectionClass($this->namespace() . '\\Configuration');
        $files = glob(dirname((string) $configuration->getFileName()) . '/Api/*Api.php') ?: [];
        sort($files);
        foreach ($files as $file) {
            $class = new \ReflectionClass($this->namespace() . '\\Api\\' . basename($file, '.php'));
            foreach ($class->getMethods(\ReflectionMethod::IS_PUBLIC) as $method) {
                $name = $method->getName();
                if ($class->hasMethod($name . 'WithHttpInfo') && $class->hasMethod($name . 'Request')) {
                    $this->operations[$name] = [$class->getName(), $method];
                }
            }
        }

        return $this->operations;
    }

    private function configuration(): object
    {
        if ($this->config === null) {
            $class = $this->namespace() . '\\Configuration';
            $this->config = (new $class())
                ->setHost($this->baseUrl . '/' . $this->name . '/api')
                ->setUserAgent($this->userAgent);
        }

        return $this->config;
    }

    private function namespace(): string
    {
        return 'SbmCrm\\Generated\\' . ucfirst($this->name);
    }

    private static function hasParameter(\ReflectionMethod $method, string $name): bool
    {
        foreach ($method->getParameters() as $parameter) {
            if ($parameter->getName() === $name) {
                return true;
            }
        }

        return false;
    }

    /** A random (version 4) UUID. */
    public static function uuid4(): string
    {
        $bytes = random_bytes(16);
        $bytes[6] = chr((ord($bytes[6]) & 0x0f) | 0x40);
        $bytes[8] = chr((ord($bytes[8]) & 0x3f) | 0x80);

        return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($bytes), 4));
    }
}
