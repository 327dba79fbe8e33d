package io.axivon.consensus.execution.da;

import static org.assertj.core.api.Assertions.assertThat;

import io.axivon.common.crypto.bls.Bls;
import io.axivon.common.crypto.bls.BlsSecretKey;
import io.axivon.consensus.execution.system.Abi;
import io.axivon.consensus.execution.system.ModuleResult;
import io.axivon.da.blob.ExtendedSquare;
import io.axivon.da.blob.SquareEncoder;
import io.axivon.da.cert.DaCertificate;
import io.axivon.da.cert.Quorum;
import io.axivon.sdk.da.DaClient;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

/**
 * The sdk's {@link DaClient} speaks the module's ABI: its call data is what the module decodes (and
 * web3j encodes), and it reads the module's own return data back to the same values.
 */
class DaClientAbiTest {
  @Test
  void callDataMatchesTheModulesAbi() {
    BlsSecretKey k = DaHarness.blsKey(7);
    assertThat(
            DaClient.registerOperatorCall(
                k.publicKey().toBytes(), Bls.provePossession(k).toBytes(), "abc@10.0.0.1:30503"))
        .isEqualTo(DaHarness.registerOperatorCall(k, "abc@10.0.0.1:30503"));
    Bytes cert = Bytes.fromHexString("0x0102030405");
    var root = DaHarness.blockHash(3);
    assertThat(DaClient.confirmBlobCall(cert, root, 4, 12345))
        .isEqualTo(DaHarness.confirmCall(cert, root, 4, 12345));
    assertThat(DaClient.registerDisperserCall())
        .isEqualTo(Abi.call(DataAvailabilityModule.REGISTER_DISPERSER, List.of()));
  }

  @Test
  void viewsDecodeTheModulesAnswers() {
    DaHarness h = new DaHarness(DaConfig.devnet(), 100, 200, 300).ready();
    DaClient.EpochInfo info =
        DaClient.decodeEpochInfo(
            DaHarness.require(
                    h.call(
                        DaHarness.OUTSIDER, Abi.call(DataAvailabilityModule.EPOCH_INFO, List.of())))
                .returnData());
    assertThat(info.epoch()).isEqualTo(1);
    assertThat(info.operatorCount()).isEqualTo(3);

    Quorum q = h.quorum(1, 0);
    List<DaClient.Member> members =
        DaClient.decodeQuorum(
            DaHarness.require(h.call(DaHarness.OUTSIDER, DaClient.quorumCall(1, 0, 8)))
                .returnData());
    assertThat(members).hasSize(q.members().size());
    int[] rows = q.rowCounts(8);
    for (int i = 0; i < members.size(); i++) {
      assertThat(members.get(i).id().bytes()).isEqualTo(q.members().get(i).id());
      assertThat(members.get(i).blsKey()).isEqualTo(q.members().get(i).publicKey().toBytes());
      assertThat(members.get(i).weight()).isEqualTo(q.members().get(i).stake());
      assertThat(members.get(i).rows()).isEqualTo(rows[i]);
    }

    var op = h.operators.get(1);
    DaClient.Operator o =
        DaClient.decodeOperator(
                DaHarness.require(
                        h.call(
                            DaHarness.OUTSIDER,
                            Abi.call(
                                DataAvailabilityModule.OPERATOR,
                                List.of(
                                    new org.web3j.abi.datatypes.Address(
                                        op.bytes().toHexString())))))
                    .returnData())
            .orElseThrow();
    assertThat(o.networkAddress()).isEqualTo("10.0.0.1:3200");
    assertThat(o.blsKey()).isEqualTo(h.daKeys.get(op.bytes()).publicKey().toBytes());

    try (SquareEncoder enc = DaHarness.encoder()) {
      Bytes blob = DaHarness.blob(5000, 1);
      ExtendedSquare sq = enc.encode(blob);
      DaCertificate cert = h.certify(sq.dataRoot(), sq.k(), q, List.of(0, 1, 2));
      ModuleResult confirmed = DaHarness.require(h.confirm(cert, blob.size()));
      assertThat(confirmed.status()).isEqualTo(ModuleResult.Status.SUCCESS);
      DaClient.Blob b =
          DaClient.decodeBlob(
              DaHarness.require(
                      h.call(
                          DaHarness.OUTSIDER,
                          Bytes.concatenate(
                              Abi.selector(DataAvailabilityModule.BLOB), sq.dataRoot())))
                  .returnData());
      assertThat(b.status()).isEqualTo(1);
      assertThat(b.size()).isEqualTo(5000);
      assertThat(b.k()).isEqualTo(sq.k());
      assertThat(b.disperser()).isEqualTo(DaHarness.DISPERSER);
    }
  }
}
